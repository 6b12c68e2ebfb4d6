package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Process;

@DisplayName("stress: a queue between several processes with several threads each")
class QueueStressTest extends ChildProcessTest {
    private static final int PROCESSES = 2;
    private static final int THREADS = 2;
    private static final int ITEMS = 5_000;

    static void produceAndConsume(SharedQueue q, SharedBlock table, int process, int total)
            throws InterruptedException {
        QueueWorkloads.produceWhileConsuming(q, table, process, THREADS, (PROCESSES + 1) * THREADS, ITEMS, total);
    }

    @Test
    @DisplayName("a small ring: not one item lost or duplicated, each producer's order kept, across processes and threads")
    void noLossNoDuplicate() throws Exception {
        noLossNoDuplicate(SharedQueue.create(16));
    }

    @Test
    @DisplayName("a pipe's solo ring used by several processes and threads at once: its turns keep every item whole, once, in order")
    void soloRingNoLossNoDuplicate() throws Exception {
        noLossNoDuplicate(SharedQueue.createSolo(16));
    }

    private void noLossNoDuplicate(SharedQueue q) throws Exception {
        int producers = (PROCESSES + 1) * THREADS;
        int total = producers * ITEMS;
        SharedBlock table = SharedBlock.allocateSegment(QueueWorkloads.tableSize(total));
        List<Process> children = new ArrayList<>();
        for (int i = 1; i <= PROCESSES; i++) {
            int process = i;
            children.add(start(() -> produceAndConsume(q, table, process, total)));
        }
        produceAndConsume(q, table, 0, total);
        for (Process p : children) {
            assertTrue(p.join(PATIENCE), p.name() + " did not finish");
            assertEquals(0, p.exitCode(), p.name() + " failed");
        }
        MemorySegment t = table.memory();
        assertEquals(0, Words.getInt(t, QueueWorkloads.VIOLATIONS), "items out of their producer's order");
        for (int i = 0; i < total; i++) {
            assertEquals(1, Words.getInt(t, QueueWorkloads.COUNTS + 4L * i), "item " + i + " taken other than once");
        }
        assertEquals(0, q.size());
    }
}
