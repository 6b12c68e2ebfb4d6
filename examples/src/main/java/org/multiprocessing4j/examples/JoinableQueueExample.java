package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.JoinableQueue;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

/**
 * Two daemon workers take tasks from a {@link JoinableQueue} and mark each done; the parent's
 * {@code join()} returns when every task is done, Python's {@code JoinableQueue.join()}.
 */
public final class JoinableQueueExample {
    private JoinableQueueExample() {
    }

    static void worker(JoinableQueue<Integer> tasks, Queue<Integer> results) throws InterruptedException {
        while (true) {
            Integer n = tasks.get();
            results.put(n * 10);
            tasks.taskDone();
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        JoinableQueue<Integer> tasks = new JoinableQueue<>();
        Queue<Integer> results = new Queue<>();
        for (int i = 0; i < 2; i++) {
            Process p = new Process(() -> worker(tasks, results));
            p.setDaemon(true);            // ended when the parent exits, as in Python
            p.start();
        }
        for (int n = 1; n <= 6; n++) {
            tasks.put(n);
        }
        tasks.join();                     // every put has had its taskDone
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            got.add(results.get());
        }
        got.sort(null);
        System.out.println("all tasks done: " + got);
    }
}
