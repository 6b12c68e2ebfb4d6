package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.JoinableQueue;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Value;

/** {@link JoinableQueue} between processes. */
public abstract class JoinableQueueKit extends TransportKit {

    /** For a transport's test class, which supplies {@link #context()}. */
    protected JoinableQueueKit() {
    }

    static void consume(JoinableQueue<Integer> q, int count, Value.OfInt done) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            Integer item = q.get();
            Thread.sleep(20);
            System.out.println("done " + item);
            done.getAndAdd(1);
            q.taskDone();
        }
    }

    @Test
    @DisplayName("join waits until a child marked every item done")
    void joinWaitsForTasks() throws Exception {
        JoinableQueue<Integer> q = new JoinableQueue<>();
        for (int i = 0; i < 5; i++) {
            q.put(i);
        }
        Value.OfInt done = Value.ofInt(0);
        Process p = start(() -> consume(q, 5, done));
        q.join();
        // Counted in shared memory before each taskDone: the child's printed lines travel
        // apart from its taskDone and may come later (on sharedmem they did).
        assertEquals(5, done.get(), "join returned before every item was done");
        assertTrue(p.join(PATIENCE));
        assertTrue(out().contains("done 4"), out());
    }

    @Test
    @DisplayName("join returns at once when nothing is unfinished; taskDone too often is an error")
    void taskDoneTooOften() throws Exception {
        JoinableQueue<Integer> q = new JoinableQueue<>();
        q.join();
        q.put(1);
        assertEquals(1, q.get());
        q.taskDone();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertTrue(e.getMessage().contains("taskDone() called more times"), e.getMessage());
        q.join();
    }
}
