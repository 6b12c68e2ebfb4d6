package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.BoundedSemaphore;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.Semaphore;

/** {@link Semaphore} and {@link BoundedSemaphore} between processes. */
public abstract class SemaphoreKit extends TransportKit {

    /** For a transport's test class, which supplies {@link #context()}. */
    protected SemaphoreKit() {
    }

    static void takeAndGiveBackSlowly(Semaphore s) throws InterruptedException {
        try (var _ = s.hold()) {
            System.out.println("child holds a permit");
            Thread.sleep(300);
        }
    }

    static void takeForever(Semaphore s, int permits) throws InterruptedException {
        for (int i = 0; i < permits; i++) {
            s.acquire();
        }
        System.out.println("child holds " + permits);
        Thread.sleep(600_000);
    }

    static void takeWithin(Semaphore s) throws InterruptedException {
        System.out.println("child took: " + s.acquire(Duration.ofSeconds(1)));
    }

    static void waitForPermit(Semaphore s, Lock probe) {
        probe.lock();
        System.out.println("child waits");
        s.acquire();
        System.out.println("child got a permit");
    }

    static void releaseFromChild(Semaphore s) {
        try {
            s.release();
            System.out.println("child released");
        } catch (IllegalStateException e) {
            System.out.println("child refused: " + e.getMessage());
        }
    }

    static void ownAndHandOff() throws Exception {
        Semaphore s = new Semaphore(0);
        handOff("semaphore", s);
        Thread.sleep(600_000);
    }

    @Test
    @DisplayName("permits are counted across processes: the parent waits while a child holds the last one")
    void counting() throws Exception {
        Semaphore s = new Semaphore(2);
        assertTrue(s.acquire(false));
        Process p = start(() -> takeAndGiveBackSlowly(s));
        awaitOut("child holds a permit");
        assertEquals(0, s.getValue());
        assertFalse(s.acquire(false), "a third permit out of two");
        assertTrue(s.acquire(PATIENCE));
        s.release();
        s.release();
        assertTrue(p.join(PATIENCE));
        assertEquals(2, s.getValue());
    }

    @Test
    @DisplayName("acquire(timeout) gives up with false while no permit is free")
    void timeout() throws Exception {
        Semaphore s = new Semaphore(1);
        start(() -> takeForever(s, 1));
        awaitOut("child holds 1");
        assertFalse(s.acquire(Duration.ofMillis(200)));
        assertFalse(s.acquire(false));
        assertFalse(s.acquire(Duration.ZERO));
    }

    @Test
    @DisplayName("any process may release: a child's release of a permit it never took adds one, as in Python")
    void releaseByAnother() throws Exception {
        Semaphore s = new Semaphore(1);
        assertTrue(s.acquire(false));
        run(() -> releaseFromChild(s));
        assertTrue(out().contains("child released"), out());
        assertEquals(1, s.getValue());
        s.release();
        assertEquals(2, s.getValue(), "an unbounded semaphore grows past its initial value");
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
    }

    @Test
    @DisplayName("releasing a BoundedSemaphore past its bound is an error that names the bound, in any process")
    void boundedOverRelease() throws Exception {
        BoundedSemaphore s = new BoundedSemaphore(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
        assertTrue(e.getMessage().contains("bound is 2"), e.getMessage());
        assertTrue(s.acquire(false));
        run(() -> releaseFromChild(s));
        run(() -> releaseFromChild(s));
        assertTrue(out().contains("child released"), out());
        assertTrue(out().contains("child refused: BoundedSemaphore released too many times: its bound is 2"), out());
        assertEquals(2, s.getValue());
    }

    @Test
    @DisplayName("a process that dies holding a BoundedSemaphore's permits gives them back, to a waiter first, and the next acquirer is told")
    void holderDies() throws Exception {
        Semaphore s = new BoundedSemaphore(2);
        Process p = start(() -> takeForever(s, 2));
        awaitOut("child holds 2");
        CompletableFuture<Boolean> waiter = inBackground(() -> s.acquire(PATIENCE));
        p.kill();
        assertTrue(p.join(PATIENCE));
        assertTrue(waiter.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS), "the dead holder's permits never came back");
        assertTrue(s.acquire(PATIENCE), "only one of the dead holder's two permits came back");
        assertEquals(0, s.getValue());
        assertTrue(err().contains("died holding permits"), err());
    }

    @Test
    @DisplayName("a Semaphore's permits are taken for good, as in Python: one release lets one child through, whether the taker ends or is killed")
    void permitsAreSignals() throws Exception {
        Semaphore s = new Semaphore(0);
        s.release();
        run(() -> takeWithin(s));
        assertTrue(out().contains("child took: true"), out());
        run(() -> takeWithin(s));
        assertTrue(out().contains("child took: false"), "one release let two children through: " + out());
        assertEquals(0, s.getValue());
        s.release();
        Process killed = start(() -> takeForever(s, 1));
        awaitOut("child holds 1");
        killed.kill();
        assertTrue(killed.join(PATIENCE));
        assertFalse(s.acquire(Duration.ofMillis(300)), "the killed child's permit came back");
        assertFalse(err().contains("died holding permits"), err());
    }

    @Test
    @DisplayName("a release past Integer.MAX_VALUE permits is refused, as Python's past SEM_VALUE_MAX, and the count stays")
    void releaseOverflow() {
        Semaphore s = new Semaphore(Integer.MAX_VALUE);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
        assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
        assertEquals(Integer.MAX_VALUE, s.getValue());
        assertTrue(s.acquire(false));
        s.release();
        assertEquals(Integer.MAX_VALUE, s.getValue());
    }

    @Test
    @DisplayName("a waiter killed while waiting does not take a permit released later")
    void waiterDies() throws Exception {
        Semaphore s = new Semaphore(0);
        Lock probe = new Lock();
        Process p = start(() -> waitForPermit(s, probe));
        awaitOut("child waits");
        Thread.sleep(200);
        p.kill();
        assertTrue(p.join(PATIENCE));
        assertTrue(probe.acquire(PATIENCE), "the child's death was never noticed");
        s.release();
        // A timed acquire waits its turn behind earlier waiters, where a transport keeps a line:
        // it gets the permit at once only if the dead waiter left the line when its death was
        // noticed, not seconds later by some rule for waiters that stopped trying.
        assertTrue(s.acquire(Duration.ofSeconds(5)),
                "the permit went to a dead waiter, or the dead waiter kept its place in line");
        assertFalse(out().contains("child got a permit"), out());
    }

    @Test
    @DisplayName("an acquire blocked on a semaphore whose owner process dies throws ProcessGoneException")
    void ownerDies() throws Exception {
        Process owner = start(SemaphoreKit::ownAndHandOff);
        Semaphore s = takeHandOff("semaphore", Semaphore.class);
        killSoon(owner);
        assertThrows(ProcessGoneException.class, () -> s.acquire(PATIENCE));
    }
}
