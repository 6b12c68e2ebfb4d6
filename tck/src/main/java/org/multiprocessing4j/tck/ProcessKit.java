package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/** Processes started through the transport's context. */
public abstract class ProcessKit extends TransportKit {

    /** For a transport's test class, which supplies {@link #context()}. */
    protected ProcessKit() {
    }

    static void report() {
        System.out.println("transport=" + Multiprocessing.getContext().transport()
                + " name=" + Multiprocessing.currentProcess().name());
        System.err.println("to stderr");
    }

    static void fail() {
        throw new IllegalStateException("failing on purpose");
    }

    @Test
    @DisplayName("a child runs with the context's transport, and its output reaches the parent")
    void contextTravels() throws Exception {
        String transport = context().transport();
        Process p = start(ProcessKit::report);
        assertTrue(p.join(PATIENCE));
        assertEquals(0, p.exitCode());
        assertTrue(out().contains("transport=" + transport + " name=" + p.name()), out());
        assertTrue(err().contains("to stderr"), err());
    }

    @Test
    @DisplayName("exit codes: 1 for an uncaught exception, -9 for kill")
    void exitCodes() throws Exception {
        Process failing = start(ProcessKit::fail);
        assertTrue(failing.join(PATIENCE));
        assertEquals(1, failing.exitCode());
        assertTrue(err().contains("Process " + failing.name() + ":"), err());
        Process killed = start(() -> Thread.sleep(600_000));
        killed.kill();
        assertTrue(killed.join(PATIENCE));
        assertEquals(-9, killed.exitCode());
    }
}
