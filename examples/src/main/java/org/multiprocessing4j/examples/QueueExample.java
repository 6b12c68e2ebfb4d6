package org.multiprocessing4j.examples;

import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

/** Seed program 3: a child puts a greeting on a queue, the parent prints it. */
public final class QueueExample {
    private QueueExample() {
    }

    static void worker(Queue<String> q) throws InterruptedException {
        q.put("Hello from worker!");
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Queue<String> q = new Queue<>();
        Process p = new Process(() -> worker(q));
        p.start();
        System.out.println(q.get());
        p.join();
    }
}
