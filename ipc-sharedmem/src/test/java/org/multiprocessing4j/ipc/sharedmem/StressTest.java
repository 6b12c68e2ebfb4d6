package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.BoundedSemaphore;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessTarget;
import org.multiprocessing4j.RLock;

@DisplayName("stress: several processes with several threads each")
class StressTest extends ChildProcessTest {
    private static final int PROCESSES = 2;
    private static final int THREADS = 3;
    private static final int ROUNDS = 2_000;

    private void runEverywhere(ProcessTarget target) throws Exception {
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            children.add(start(target));
        }
        target.run();
        for (Process p : children) {
            assertTrue(p.join(PATIENCE), p.name() + " did not finish");
            assertEquals(0, p.exitCode(), p.name() + " failed");
        }
    }

    @Test
    @DisplayName("Lock and RLock: mutual exclusion, and not one increment lost, across processes and threads")
    void locks() throws Exception {
        Lock lock = new Lock();
        RLock rlock = new RLock();
        SharedBlock forLock = SharedBlock.allocate(64);
        SharedBlock forRLock = SharedBlock.allocate(64);
        runEverywhere(() -> {
            Workloads.lockLoop(lock, forLock, THREADS, ROUNDS);
            Workloads.rlockLoop(rlock, forRLock, THREADS, ROUNDS);
        });
        int total = (PROCESSES + 1) * THREADS * ROUNDS;
        for (SharedBlock b : List.of(forLock, forRLock)) {
            MemorySegment c = b.memory();
            assertEquals(0, Words.getInt(c, Workloads.VIOLATIONS), "two holders at once");
            assertEquals(total, Words.getInt(c, Workloads.COUNTER), "increments lost: critical sections overlapped");
        }
        assertFalse(lock.isLocked());
        assertFalse(rlock.isLocked());
    }

    @Test
    @DisplayName("BoundedSemaphore: never more holders than permits, every permit back at the end")
    void semaphore() throws Exception {
        BoundedSemaphore s = new BoundedSemaphore(2);
        SharedBlock counters = SharedBlock.allocate(64);
        runEverywhere(() -> Workloads.semaphoreLoop(s, 2, counters, THREADS, ROUNDS));
        MemorySegment c = counters.memory();
        assertEquals(0, Words.getInt(c, Workloads.VIOLATIONS), "more holders than permits");
        assertTrue(Words.getInt(c, Workloads.MAX_INSIDE) >= 1);
        assertEquals(2, s.getValue());
    }
}
