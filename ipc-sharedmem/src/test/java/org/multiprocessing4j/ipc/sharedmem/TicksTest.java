package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TicksTest {
    private static final long PATIENCE_NANOS = Duration.ofSeconds(30).toNanos();

    @Test
    void advancesWhileUsedStopsWhenNotAndNeverRepeatsATick() throws Exception {
        long first = Ticks.used();
        assertNotEquals(0, first);
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (Ticks.now() == first) {
            assertTrue(System.nanoTime() < deadline, "the clock did not advance");
            Thread.sleep(1);
        }
        long later = Ticks.now();
        assertTrue(later > first, later + " after " + first);

        // Unused, it stops within about a second (100 ticks), answering 0 ("due now"), and its
        // thread ends.
        while (Ticks.now() != 0) {
            assertTrue(System.nanoTime() < deadline, "the clock did not stop unused");
            Thread.sleep(20);
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("multiprocessing4j-ticks")) {
                t.join(PATIENCE_NANOS / 1_000_000);
                assertFalse(t.isAlive(), "the stopped clock's thread still runs");
            }
        }

        // Started again, it goes on counting: a stamp from before the stop never matches.
        long restarted = Ticks.used();
        assertTrue(restarted > later, restarted + " after " + later);
        assertNotEquals(0, Ticks.now());
    }

    @Test
    void aThreadEndedByAnErrorLeavesTheClockStoppedAndAUseStartsItAgain() throws Exception {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        AtomicBoolean failed = new AtomicBoolean();
        Ticks.tickHook = () -> {
            if (failed.compareAndSet(false, true)) {
                throw new AssertionError("the ticks thread made to fail by the test");
            }
        };
        try {
            long before = Ticks.used();
            assertNotEquals(0, before);
            while (!failed.get()) {
                assertTrue(System.nanoTime() < deadline, "the hook was never run");
                Ticks.used();
                Thread.sleep(1);
            }
            // Its thread gone by an error, the clock answers 0 ("due now"), never a stale tick.
            while (Ticks.now() != 0) {
                assertTrue(System.nanoTime() < deadline, "a clock whose thread failed still looks current");
                Thread.sleep(1);
            }
            long again = Ticks.used();
            assertTrue(again > before, again + " after " + before);
            while (Ticks.now() == again) {
                assertTrue(System.nanoTime() < deadline, "the restarted clock did not advance");
                Ticks.used();
                Thread.sleep(1);
            }
        } finally {
            Ticks.tickHook = null;
        }
    }
}
