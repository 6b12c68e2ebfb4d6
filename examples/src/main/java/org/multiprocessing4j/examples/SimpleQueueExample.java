package org.multiprocessing4j.examples;

import org.multiprocessing4j.Process;
import org.multiprocessing4j.SimpleQueue;

/** A child sends three items through a {@link SimpleQueue}, Python's {@code SimpleQueue}. */
public final class SimpleQueueExample {
    private SimpleQueueExample() {
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        SimpleQueue<String> q = new SimpleQueue<>();
        Process p = new Process(() -> {
            for (String word : new String[] {"one", "two", "three"}) {
                q.put(word);
            }
        });
        p.start();
        for (int i = 0; i < 3; i++) {
            System.out.println("got " + q.get());
        }
        p.join();
        System.out.println("empty: " + q.empty());
    }
}
