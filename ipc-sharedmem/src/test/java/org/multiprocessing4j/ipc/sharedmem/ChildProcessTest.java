package org.multiprocessing4j.ipc.sharedmem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessTarget;

/** The base of this module's own multi-process tests: children on this transport, killed after each test. */
abstract class ChildProcessTest {
    /** The longest a test waits for something that should happen. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Context context = Multiprocessing.getContext("sharedmem");
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    final void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.kill();
                p.join(PATIENCE);
            }
        }
    }

    /**
     * Waits until an int of a block reaches a value that children write there.
     *
     * @param b      the block
     * @param offset the int's offset
     * @param value  the value to reach
     */
    static void awaitInt(SharedBlock b, long offset, int value) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (Words.getInt(b.memory(), offset) < value) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the children never got there: the int at " + offset + " of " + b
                        + " stayed below " + value);
            }
            Thread.sleep(10);
        }
    }

    /**
     * @param target what the child runs
     * @return the started child; killed after the test if still alive
     */
    final Process start(ProcessTarget target) {
        Process p = context.process(target);
        started.add(p);
        p.start();
        return p;
    }
}
