package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

@DisplayName("crashes: processes killed in the middle of queue traffic")
class QueueCrashTest extends ChildProcessTest {
    private static final int THREADS = 2;
    private static final int ITEMS = 1_000_000;

    static void hammer(SharedQueue q, SharedBlock table, int process) throws InterruptedException {
        QueueWorkloads.produceWhileConsuming(q, table, process, THREADS, 2 * THREADS, ITEMS, -1);
    }

    @Test
    @DisplayName("after SIGKILLs of producers and consumers mid-operation, nothing is taken twice and the ring works on")
    void killedMidTraffic() throws Exception {
        SharedQueue q = SharedQueue.create(8);
        SharedBlock table = SharedBlock.allocateSegment(QueueWorkloads.tableSize(2 * THREADS * ITEMS));
        Process a = start(() -> hammer(q, table, 0));
        Process b = start(() -> hammer(q, table, 1));
        MemorySegment t = table.memory();
        while (Words.getInt(t, QueueWorkloads.TAKEN) < 20_000) {
            Thread.sleep(10);
        }
        a.kill();
        assertTrue(a.join(PATIENCE));
        Thread.sleep(100);
        b.kill();
        assertTrue(b.join(PATIENCE));
        while (true) {
            try {
                q.get(200_000_000L);
            } catch (Queue.Empty e) {
                break;
            }
        }
        assertEquals(0, q.size(), "positions left claimed by the dead");
        assertEquals(0, Words.getInt(t, QueueWorkloads.VIOLATIONS), "items out of their producer's order");
        for (int i = 0; i < 2 * THREADS * ITEMS; i++) {
            assertTrue(Words.getInt(t, QueueWorkloads.COUNTS + 4L * i) <= 1, "item " + i + " taken twice");
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 480; i < 520; i++) {
                q.put(QueueWorkloads.item(7, i), PATIENCE.toNanos());
                assertEquals(1, q.size());
                assertArrayEquals(QueueWorkloads.item(7, i), q.get(PATIENCE.toNanos()));
            }
        }
    }
}
