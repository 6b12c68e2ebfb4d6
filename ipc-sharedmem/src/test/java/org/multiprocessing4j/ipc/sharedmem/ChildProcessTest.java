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
