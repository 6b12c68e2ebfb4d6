package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Condition;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.RLock;

/** {@link Condition} between processes, and the {@code java.util.concurrent} view of it. */
public abstract class ConditionKit extends TransportKit {

    /** For a transport's test class, which supplies {@link #context()}. */
    protected ConditionKit() {
    }

    static void signalFromChild(Condition c) {
        try (var _ = c.hold()) {
            c.signal();
        }
    }

    static void takeLockAndSignal(RLock lock, Condition c, Event got) {
        lock.acquire();
        got.set();
        c.signal();
        lock.release();
    }

    static void signalWithoutLock(Condition c) {
        try {
            c.signal();
            System.out.println("child signalled");
        } catch (IllegalStateException e) {
            System.out.println("child refused: " + e.getMessage());
        }
    }

    static void threeWaiters(Condition c) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            threads.add(Thread.ofPlatform().start(() -> {
                try (var _ = c.hold()) {
                    System.out.println("waiting " + id);
                    System.out.println("woken " + id + ": " + c.await(PATIENCE));
                } catch (InterruptedException e) {
                    System.out.println("interrupted " + id);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    static void waitAndReport(Condition c, String name) throws InterruptedException {
        try (var _ = c.hold()) {
            System.out.println(name + " waiting");
            System.out.println(name + " woken: " + c.await(PATIENCE));
        }
    }

    static void waitWithProbe(Condition c, Lock probe) throws InterruptedException {
        probe.lock();
        try (var _ = c.hold()) {
            System.out.println("child waiting");
            c.await();
        }
    }

    static void awaitEvent(Condition c, Event e) throws InterruptedException {
        try (var _ = c.hold()) {
            System.out.println("child waiting");
            System.out.println("child predicate: " + c.awaitFor(() -> e.isSet(), PATIENCE));
        }
    }

    static void signalView(Lock lock, java.util.concurrent.locks.Condition view) {
        lock.lock();
        try {
            view.signal();
        } finally {
            lock.unlock();
        }
    }

    static void ownAndHandOff() throws Exception {
        handOff("condition", new Condition());
        Thread.sleep(600_000);
    }

    @Test
    @DisplayName("a child's signal wakes the parent's await, which returns holding the lock")
    void signalWakesWaiter() throws Exception {
        RLock lock = new RLock();
        Condition c = new Condition(lock);
        c.acquire();
        Process p = start(() -> signalFromChild(c));
        assertTrue(c.await(PATIENCE), "the child's signal never arrived");
        assertTrue(lock.isHeldByCurrentThread());
        c.release();
        assertTrue(p.join(PATIENCE));
        assertEquals(0, p.exitCode(), err());
    }

    @Test
    @DisplayName("await releases an RLock held twice so a child can take it, restores both holds, and times out with false")
    void awaitReleasesAndRestores() throws Exception {
        RLock lock = new RLock();
        Condition c = new Condition(lock);
        lock.acquire();
        lock.acquire();
        Event got = new Event();
        start(() -> takeLockAndSignal(lock, c, got));
        assertTrue(c.awaitFor(got::isSet, PATIENCE), "the child never got the lock the parent waits with");
        assertFalse(c.await(Duration.ofMillis(100)));
        assertTrue(lock.isHeldByCurrentThread());
        lock.release();
        assertTrue(lock.isHeldByCurrentThread(), "await lost a hold of the RLock");
        lock.release();
        assertThrows(IllegalStateException.class, lock::release);
    }

    @Test
    @DisplayName("await and signal without holding the lock are IllegalStateException, in a child and over a plain Lock")
    void notHeld() throws Exception {
        Condition c = new Condition();
        IllegalStateException e = assertThrows(IllegalStateException.class, c::signal);
        assertTrue(e.getMessage().contains("cannot notify on un-acquired lock"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> c.await(Duration.ofMillis(10)));
        assertTrue(e.getMessage().contains("cannot wait on un-acquired lock"), e.getMessage());
        assertThrows(IllegalStateException.class, c::signalAll);
        Condition plain = new Condition(new Lock());
        assertThrows(IllegalStateException.class, plain::signal);
        assertThrows(IllegalStateException.class, () -> plain.await(Duration.ofMillis(10)));
        c.acquire();
        try {
            run(() -> signalWithoutLock(c));
        } finally {
            c.release();
        }
        assertTrue(out().contains("child refused: cannot notify on un-acquired lock"), out());
    }

    @Test
    @DisplayName("signal(n) wakes the n oldest waiters, and signalAll the rest")
    void signalN() throws Exception {
        Condition c = new Condition();
        Process p = start(() -> threeWaiters(c));
        awaitTrue("three waiters", () -> count(out(), "waiting \\d") == 3);
        List<String> order = matches(out(), "waiting (\\d)");
        try (var _ = c.hold()) {
            c.signal(2);
        }
        awaitTrue("two wakeups", () -> count(out(), "woken \\d: true") == 2);
        Thread.sleep(300);
        assertEquals(2, count(out(), "woken \\d: true"), out());
        assertEquals(Set.of(order.get(0), order.get(1)), Set.copyOf(matches(out(), "woken (\\d): true")),
                "not the two oldest waiters");
        try (var _ = c.hold()) {
            c.signalAll();
        }
        assertTrue(p.join(PATIENCE));
        assertEquals(3, count(out(), "woken \\d: true"), out());
    }

    @Test
    @DisplayName("waiters that timed out or were interrupted do not take a signal meant for a later waiter")
    void noLostWakeup() throws Exception {
        Condition c = new Condition();
        CountDownLatch aWaits = new CountDownLatch(1);
        CompletableFuture<Boolean> a = inBackground(() -> {
            try (var _ = c.hold()) {
                aWaits.countDown();
                return c.await(Duration.ofMillis(300));
            }
        });
        assertTrue(aWaits.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        c.acquire(); // a's ticket is in line once it released the lock
        CountDownLatch cWaits = new CountDownLatch(1);
        CompletableFuture<String> c2 = new CompletableFuture<>();
        Thread cThread = Thread.ofPlatform().start(() -> {
            try (var _ = c.hold()) {
                cWaits.countDown();
                c2.complete("woken: " + c.await(PATIENCE));
            } catch (InterruptedException e) {
                c2.complete("interrupted");
            }
        });
        c.release();
        assertTrue(cWaits.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        c.acquire();
        c.release();
        start(() -> waitAndReport(c, "child"));
        awaitOut("child waiting");
        assertFalse(a.get(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the first waiter was not timed out");
        cThread.interrupt();
        assertEquals("interrupted", c2.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        try (var _ = c.hold()) {
            c.signal();
        }
        awaitOut("child woken: true");
    }

    @Test
    @DisplayName("a waiter whose process dies is dropped: a signal goes to a live waiter")
    void waiterDies() throws Exception {
        Condition c = new Condition();
        Lock probe = new Lock();
        Process p = start(() -> waitWithProbe(c, probe));
        awaitOut("child waiting");
        c.acquire();
        c.release();
        p.kill();
        assertTrue(p.join(PATIENCE));
        assertTrue(probe.acquire(PATIENCE), "the child's death was never noticed");
        CountDownLatch waits = new CountDownLatch(1);
        CompletableFuture<Boolean> live = inBackground(() -> {
            try (var _ = c.hold()) {
                waits.countDown();
                return c.await(PATIENCE);
            }
        });
        assertTrue(waits.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        try (var _ = c.hold()) {
            c.signal();
        }
        assertTrue(live.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS), "the signal went to the dead waiter");
    }

    @Test
    @DisplayName("awaitFor checks its predicate in the calling process, again after each signal, and gives up with false")
    void awaitFor() throws Exception {
        Condition c = new Condition();
        Event e = new Event();
        Process p = start(() -> awaitEvent(c, e));
        awaitOut("child waiting");
        try (var _ = c.hold()) {
            c.signal();
        }
        try (var _ = c.hold()) {
            e.set();
            c.signal();
        }
        awaitOut("child predicate: true");
        assertTrue(p.join(PATIENCE));
        try (var _ = c.hold()) {
            assertFalse(c.awaitFor(() -> false, Duration.ofMillis(100)));
        }
    }

    @Test
    @DisplayName("a wait on a condition whose owner process dies throws ProcessGoneException")
    void ownerDies() throws Exception {
        Process owner = start(ConditionKit::ownAndHandOff);
        Condition c = takeHandOff("condition", Condition.class);
        c.acquire();
        killSoon(owner);
        assertThrows(ProcessGoneException.class, () -> c.await(PATIENCE));
    }

    @Test
    @DisplayName("Lock.newCondition() is a java.util.concurrent Condition that a child can signal")
    void javaConditionView() throws Exception {
        Lock lock = new Lock();
        java.util.concurrent.locks.Condition view = lock.newCondition();
        assertThrows(IllegalMonitorStateException.class, view::signal);
        lock.lock();
        try {
            start(() -> signalView(lock, view));
            assertTrue(view.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the child's signal never arrived");
            assertTrue(lock.isLocked());
            assertTrue(view.awaitNanos(TimeUnit.MILLISECONDS.toNanos(50)) <= 0);
        } finally {
            lock.unlock();
        }
    }

    private static int count(String text, String regex) {
        return matches(text, regex).size();
    }

    private static List<String> matches(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.groupCount() > 0 ? m.group(1) : m.group());
        }
        return found;
    }
}
