package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("wait strategies")
class WaitStrategyTest {
    /** A thread per task: the common pool may have a single thread on a small machine. */
    private static final java.util.concurrent.Executor THREADS = task -> Thread.ofPlatform().daemon().start(task);

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    @DisplayName("each strategy, found by its name, returns once the word changes and the waker wakes")
    void returnsOnChange(WaitStrategy strategy) throws Exception {
        assertEquals(strategy, WaitStrategy.named(strategy.strategyName()));
        MemorySegment m = SharedBlock.allocate(64).memory();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            // Like every caller: re-check, wait again; each wait is at most a slice.
            for (int round = 0; Words.getInt(m, 0) == 0; round++) {
                strategy.await(m, 0, 4, 0, Waiting.SLICE_NANOS, round);
            }
        });
        Thread.sleep(50);
        Words.setInt(m, 0, 1);
        WaitStrategy.wake(m, 0, 4, Integer.MAX_VALUE);
        waiter.get(30, TimeUnit.SECONDS);
        assertEquals(0, Words.getInt(m, 4), "a waiter did not take its announcement back");
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    @DisplayName("each strategy returns after the time it is given when nothing changes")
    void returnsInTime(WaitStrategy strategy) throws Exception {
        MemorySegment m = SharedBlock.allocate(64).memory();
        CompletableFuture.runAsync(() -> strategy.await(m, 0, 4, 0, 1_000_000L, 0)).get(30, TimeUnit.SECONDS);
    }

    /** {@return a thread asleep in futex on word 0 until it changes, once it has announced itself} */
    private static CompletableFuture<Void> sleeper(MemorySegment m) {
        CompletableFuture<Void> sleeper = CompletableFuture.runAsync(() -> {
            while (Words.getInt(m, 0) == 0) {
                WaitStrategy.FUTEX.await(m, 0, 4, 0, Waiting.SLICE_NANOS, 1);
            }
        }, THREADS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Words.getInt(m, 4) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return sleeper;
    }

    @Test
    @DisplayName("the futex strategy announces itself while it sleeps, and the waker sees it")
    void announces() throws Exception {
        MemorySegment m = SharedBlock.allocate(64).memory();
        CompletableFuture<Void> waiter = sleeper(m);
        assertEquals(1, Words.getInt(m, 4));
        Words.setInt(m, 0, 1);
        WaitStrategy.wake(m, 0, 4, 1);
        waiter.get(30, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("an unknown name is an error that lists the known ones")
    void unknownName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WaitStrategy.named("sleepy"));
        assertTrue(e.getMessage().contains("'sleepy'") && e.getMessage().contains("spin-then-futex"), e.getMessage());
    }

    @Test
    @DisplayName("of two sleepers on a word, the one that times out takes its announcement back and the other is still woken")
    void timedOutSleeperLosesNoWakeup() throws Exception {
        MemorySegment m = SharedBlock.allocate(64).memory();
        CompletableFuture<Void> patient = sleeper(m);
        CompletableFuture.runAsync(() -> WaitStrategy.FUTEX.await(m, 0, 4, 0, 5_000_000L, 1), THREADS).get(30, TimeUnit.SECONDS);
        Words.setInt(m, 0, 1);
        WaitStrategy.wake(m, 0, 4, 1);
        patient.get(30, TimeUnit.SECONDS);
        assertEquals(0, Words.getInt(m, 4));
    }

    @Test
    @DisplayName("spin-then-futex sees a change while it spins or yields, without announcing itself")
    void spinsThenYields() throws Exception {
        MemorySegment m = SharedBlock.allocate(64).memory();
        Words.setInt(m, 0, 1);
        assertTrue(WaitStrategy.spinThenYield(m, 0, 0, Waiting.SLICE_NANOS));
        Words.setInt(m, 0, 0);
        assertFalse(WaitStrategy.spinThenYield(m, 0, 0, 1_000L));
        assertEquals(0, Words.getInt(m, 4));
    }
}
