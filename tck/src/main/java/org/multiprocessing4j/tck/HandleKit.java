package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

/** Handles: primitives captured by targets re-attach in children and grandchildren. */
public abstract class HandleKit extends TransportKit {

    /** For a transport's test class, which supplies {@link #context()}. */
    protected HandleKit() {
    }

    static void grandparent(Queue<Object> q, Lock lock) throws Exception {
        Process child = new Process(() -> grandchild(q, lock));
        child.start();
        child.join();
        q.put("child done");
    }

    static void grandchild(Queue<Object> q, Lock lock) throws InterruptedException {
        try (var _ = lock.hold()) {
            q.put("grandchild under the root's lock");
        }
    }

    static void forward(Queue<Queue<Object>> queues) throws InterruptedException {
        Queue<Object> q = queues.get();
        q.put("through a queue received from a queue");
    }

    @Test
    @DisplayName("a grandchild uses the root's queue and lock, through its parent")
    void grandchild() throws Exception {
        Queue<Object> q = new Queue<>();
        Lock lock = new Lock();
        run(() -> grandparent(q, lock));
        assertEquals("grandchild under the root's lock", q.get(PATIENCE));
        assertEquals("child done", q.get(PATIENCE));
    }

    @Test
    @DisplayName("a queue sent through a queue works in the receiving process")
    void handleInsideAnItem() throws Exception {
        Queue<Queue<Object>> queues = new Queue<>();
        Queue<Object> q = new Queue<>();
        Process p = start(() -> forward(queues));
        queues.put(q);
        assertEquals("through a queue received from a queue", q.get(PATIENCE));
        p.join(PATIENCE);
    }
}
