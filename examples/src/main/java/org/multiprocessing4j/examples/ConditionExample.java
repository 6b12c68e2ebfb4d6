package org.multiprocessing4j.examples;

import org.multiprocessing4j.Condition;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

/**
 * A consumer waits on a {@link Condition} until the producer has made an item and notified it:
 * Python's {@code with cond: cond.wait_for(...)} and {@code cond.notify_all()}.
 */
public final class ConditionExample {
    private ConditionExample() {
    }

    static void consumer(Condition cond, Queue<String> shelf, Queue<String> report) throws InterruptedException {
        try (var _ = cond.hold()) {
            cond.awaitFor(() -> !shelf.empty());       // re-checked after every notify
            report.put("consumer took " + shelf.get());
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Condition cond = new Condition();
        Queue<String> shelf = new Queue<>();
        Queue<String> report = new Queue<>();
        Process consumer = new Process(() -> consumer(cond, shelf, report));
        consumer.start();
        try (var _ = cond.hold()) {
            shelf.put("bread");
            cond.signalAll();                          // Python: cond.notify_all()
        }
        System.out.println(report.get());
        consumer.join();
    }
}
