package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Barrier;
import org.multiprocessing4j.BrokenBarrierException;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessGoneException;

/** {@link Barrier} between processes. */
public abstract class BarrierKit extends TransportKit {

    /** For a transport's test class, which supplies {@link #context()}. */
    protected BarrierKit() {
    }

    static void markAction(Event ran) {
        System.out.println("action in " + Multiprocessing.currentProcess().name());
        ran.set();
    }

    static void slowAction() throws InterruptedException {
        Thread.sleep(1_000);
        System.out.println("slow action done");
    }

    static void arriveLastOnSignal(Barrier b, Event go) throws InterruptedException {
        // Ready means ready to use both: a transport whose first call in a process connects it
        // (a cluster client's start takes seconds) connects here, not in the timed window.
        go.isSet();
        b.nWaiting();
        System.out.println("child ready");
        go.await();
        System.out.println("child index " + b.await(PATIENCE));
    }

    static void failingAction() {
        throw new IllegalStateException("the action failed on purpose");
    }

    static void awaitAndReport(Barrier b) throws InterruptedException {
        System.out.println("child waits");
        try {
            System.out.println("child index " + b.await(PATIENCE));
        } catch (BrokenBarrierException e) {
            System.out.println("child broken: " + e.getMessage());
        }
    }

    static void rounds(Barrier b, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            System.out.println("child round " + i + " index " + b.await(PATIENCE));
        }
    }

    static void ownAndHandOff() throws Exception {
        handOff("barrier", new Barrier(2));
        Thread.sleep(600_000);
    }

    private void awaitWaiting(Barrier b, int n) throws InterruptedException {
        awaitTrue(n + " parties waiting", () -> b.nWaiting() == n);
    }

    @Test
    @DisplayName("parties are released together with distinct indices after the action ran once, in the last party's process")
    void releaseAndAction() throws Exception {
        Event ran = new Event();
        Barrier b = new Barrier(3, () -> markAction(ran), null);
        assertEquals(3, b.parties());
        CompletableFuture<String> first = inBackground(() -> b.await(PATIENCE) + " " + ran.isSet());
        awaitWaiting(b, 1);
        CompletableFuture<String> second = inBackground(() -> b.await(PATIENCE) + " " + ran.isSet());
        awaitWaiting(b, 2);
        Process p = start(() -> awaitAndReport(b));
        assertEquals(Set.of("0 true", "1 true"), Set.of(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                second.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)), "released before the action ran");
        assertTrue(p.join(PATIENCE));
        assertTrue(out().contains("child index 2"), out());
        assertTrue(out().contains("action in " + p.name()), out());
        assertEquals(out().indexOf("action in"), out().lastIndexOf("action in"), "the action ran twice");
        assertEquals(0, b.nWaiting());
    }

    @Test
    @DisplayName("an action longer than the waiting parties' timeout does not break the round (it runs under the barrier)")
    void slowActionKeepsTheRound() throws Exception {
        Barrier b = new Barrier(2, BarrierKit::slowAction, null);
        Event go = new Event();
        Process p = start(() -> arriveLastOnSignal(b, go));
        awaitOut("child ready");
        // 750 ms: well under the 1 s action, and time enough for the child to wake and arrive on a busy machine.
        CompletableFuture<Integer> waiter = inBackground(() -> b.await(Duration.ofMillis(750)));
        awaitWaiting(b, 1);
        go.set();
        assertEquals(0, waiter.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(p.join(PATIENCE));
        assertTrue(out().contains("slow action done"), out());
        assertTrue(out().contains("child index 1"), out());
        assertFalse(b.isBroken());
    }

    @Test
    @DisplayName("a barrier serves round after round")
    void rounds() throws Exception {
        Barrier b = new Barrier(2);
        Process p = start(() -> rounds(b, 3));
        for (int i = 0; i < 3; i++) {
            int index = b.await(PATIENCE);
            assertTrue(index == 0 || index == 1, "index " + index);
        }
        assertTrue(p.join(PATIENCE));
        assertEquals(0, p.exitCode(), err());
        assertTrue(out().contains("child round 2 index"), out());
        assertFalse(b.isBroken());
    }

    @Test
    @DisplayName("a wait that times out breaks the barrier for every party until reset")
    void timeoutBreaks() throws Exception {
        Barrier b = new Barrier(3);
        start(() -> awaitAndReport(b));
        awaitWaiting(b, 1);
        assertThrows(BrokenBarrierException.class, () -> b.await(Duration.ofMillis(200)));
        awaitOut("child broken: ");
        assertTrue(b.isBroken());
        BrokenBarrierException e = assertThrows(BrokenBarrierException.class, () -> b.await(PATIENCE));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        b.reset();
        assertFalse(b.isBroken());
        Barrier withDefault = new Barrier(2, null, Duration.ofMillis(100));
        assertThrows(BrokenBarrierException.class, withDefault::await);
        assertTrue(withDefault.isBroken());
    }

    @Test
    @DisplayName("abort breaks the waiting parties and every later wait until reset")
    void abort() throws Exception {
        Barrier b = new Barrier(2);
        start(() -> awaitAndReport(b));
        awaitWaiting(b, 1);
        b.abort();
        awaitOut("child broken: the Barrier is broken: the Barrier was aborted");
        assertTrue(b.isBroken());
        assertThrows(BrokenBarrierException.class, () -> b.await(PATIENCE));
        b.reset();
        assertFalse(b.isBroken());
        assertEquals(0, b.nWaiting());
    }

    @Test
    @DisplayName("reset while a party waits breaks that wait and leaves the barrier fresh")
    void resetWhileWaiting() throws Exception {
        Barrier b = new Barrier(2);
        start(() -> awaitAndReport(b));
        awaitWaiting(b, 1);
        b.reset();
        awaitOut("child broken: the Barrier is broken: the Barrier was reset while waiting");
        assertFalse(b.isBroken());
        assertEquals(0, b.nWaiting());
    }

    @Test
    @DisplayName("a party that dies while waiting breaks the barrier")
    void waiterDies() throws Exception {
        Barrier b = new Barrier(2);
        Process p = start(() -> awaitAndReport(b));
        awaitWaiting(b, 1);
        p.kill();
        assertTrue(p.join(PATIENCE));
        awaitTrue("the barrier breaking", b::isBroken);
        BrokenBarrierException e = assertThrows(BrokenBarrierException.class, () -> b.await(PATIENCE));
        assertTrue(e.getMessage().contains("died waiting"), e.getMessage());
    }

    @Test
    @DisplayName("an interrupted party breaks the barrier for the others")
    void interruptBreaks() throws Exception {
        Barrier b = new Barrier(3);
        start(() -> awaitAndReport(b));
        awaitWaiting(b, 1);
        CompletableFuture<String> here = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                here.complete("index " + b.await(PATIENCE));
            } catch (InterruptedException e) {
                here.complete("interrupted");
            }
        });
        awaitWaiting(b, 2);
        t.interrupt();
        assertEquals("interrupted", here.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        awaitOut("child broken: the Barrier is broken: a party was interrupted");
        assertTrue(b.isBroken());
    }

    @Test
    @DisplayName("an action that throws breaks the barrier, and the last party gets its exception")
    void failingActionBreaks() throws Exception {
        Barrier b = new Barrier(2, BarrierKit::failingAction, null);
        start(() -> awaitAndReport(b));
        awaitWaiting(b, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.await(PATIENCE));
        assertEquals("the action failed on purpose", e.getMessage());
        awaitOut("child broken: the Barrier is broken: its action failed");
        assertTrue(b.isBroken());
        Barrier checked = new Barrier(1, () -> {
            throw new IOException("checked failure");
        }, null);
        BrokenBarrierException wrapped = assertThrows(BrokenBarrierException.class, checked::await);
        assertInstanceOf(IOException.class, wrapped.getCause());
    }

    @Test
    @DisplayName("a wait on a barrier whose owner process dies throws ProcessGoneException")
    void ownerDies() throws Exception {
        Process owner = start(BarrierKit::ownAndHandOff);
        Barrier b = takeHandOff("barrier", Barrier.class);
        killSoon(owner);
        assertThrows(ProcessGoneException.class, () -> b.await(PATIENCE));
    }
}
