package org.multiprocessing4j;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Replaces System.out and System.err while a test runs, so that what children print (relayed
 * by the parent onto its own System.out/err) can be checked. Close to restore.
 */
final class CapturedOutput implements AutoCloseable {
    private final PrintStream oldOut = System.out;
    private final PrintStream oldErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    CapturedOutput() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until stdout contains {@code text}; fails the test after {@code limit}. */
    String awaitOut(String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!out().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in the output within " + limit + "; stdout: "
                        + out() + "; stderr: " + err());
            }
            Thread.sleep(10);
        }
        return out();
    }

    @Override
    public void close() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        oldOut.print(out());
        oldErr.print(err());
    }
}
