package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.JoinableQueue;
import org.multiprocessing4j.Process;

/** {@link JoinableQueue} between processes. */
public abstract class JoinableQueueKit extends TransportKit {

    /** For a transport's test class, which supplies {@link #context()}. */
    protected JoinableQueueKit() {
    }

    static void consume(JoinableQueue<Integer> q, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            Integer item = q.get();
            Thread.sleep(20);
            System.out.println("done " + item);
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
        Process p = start(() -> consume(q, 5));
        q.join();
        assertTrue(out().contains("done 4"), out());
        assertTrue(p.join(PATIENCE));
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
