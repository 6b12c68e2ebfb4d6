package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
}
