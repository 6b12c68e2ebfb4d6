package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("futex on a shared mapping")
class FutexTest {
    private final MemorySegment m = SharedBlock.allocate(64).memory();

    @Test
    @DisplayName("is available on this machine")
    void available() {
        assertNull(Futex.unavailabilityCause());
    }

    @Test
    @DisplayName("a wait on a word that no longer holds the expected value returns CHANGED at once")
    void changed() {
        Words.setInt(m, 0, 5);
        assertEquals(Futex.Outcome.CHANGED, Futex.await(m, 0, 4, 10_000_000_000L));
    }

    @Test
    @DisplayName("a wait nobody wakes runs out of time")
    void timesOut() {
        assertEquals(Futex.Outcome.TIMED_OUT, Futex.await(m, 4, 0, 20_000_000L));
    }

    @Test
    @DisplayName("wake reaches a thread asleep on the word, and counts it")
    void wakes() throws Exception {
        CompletableFuture<Futex.Outcome> sleeper = CompletableFuture.supplyAsync(() -> Futex.await(m, 8, 0, 30_000_000_000L));
        int woken = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (woken == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
            woken = Futex.wake(m, 8, 1);
        }
        assertEquals(1, woken);
        assertEquals(Futex.Outcome.WOKEN, sleeper.get(30, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName("the AOT training's calls wake nobody and wait without sleeping")
    void training() {
        var outcomes = Futex.train();
        assertEquals(0, outcomes.get(0));
        assertEquals(Futex.Outcome.CHANGED, outcomes.get(1));
        assertTrue(java.util.Set.of(Futex.Outcome.TIMED_OUT, Futex.Outcome.WOKEN, Futex.Outcome.INTERRUPTED)
                .contains(outcomes.get(2)), outcomes.toString());
        new SharedMemTransportProvider().trainChildren(); // the provider's training is that, and throws nothing
    }

    @Test
    @DisplayName("a misaligned or outside word is refused with its offset")
    void misaligned() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Futex.wake(m, 2, 1));
        assertTrue(e.getMessage().contains("offset=2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Futex.wake(m, 64, 1));
    }
}
