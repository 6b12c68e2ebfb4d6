package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Semaphore;
import org.multiprocessing4j.Value;

/**
 * Four processes share two permits of a {@link Semaphore}; a shared counter records how many
 * were inside at once, which never exceeds two.
 */
public final class SemaphoreExample {
    private SemaphoreExample() {
    }

    static void visit(Semaphore permits, Value.OfInt inside, Value.OfInt most) throws InterruptedException {
        try (var _ = permits.hold()) {                 // Python: with sem:
            int now = inside.addAndGet(1);
            int seen;
            while (now > (seen = most.get()) && !most.compareAndSet(seen, now)) {
                Thread.onSpinWait();
            }
            Thread.sleep(200);
            inside.addAndGet(-1);
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Semaphore permits = new Semaphore(2);
        Value.OfInt inside = Value.ofInt(0);
        Value.OfInt most = Value.ofInt(0);
        List<Process> visitors = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Process p = new Process(() -> visit(permits, inside, most));
            p.start();
            visitors.add(p);
        }
        for (Process p : visitors) {
            p.join();
        }
        System.out.println("never more than 2 inside: " + (most.get() <= 2));
        System.out.println("free permits at the end: " + permits.getValue());
    }
}
