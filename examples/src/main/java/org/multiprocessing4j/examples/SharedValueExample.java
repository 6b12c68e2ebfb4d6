package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.multiprocessing4j.Array;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Value;

/**
 * Four processes add to a shared counter and to their own slots of a shared array: the counter
 * under its lock (Python's {@code with counter.get_lock():}), the array with atomic adds.
 */
public final class SharedValueExample {
    private static final int WORKERS = 4;
    private static final int ROUNDS = 100;

    private SharedValueExample() {
    }

    static void work(int id, Value.OfInt counter, Array.OfLong sums) {
        for (int i = 1; i <= ROUNDS; i++) {
            try (var _ = counter.hold()) {
                counter.set(counter.get() + 1);
            }
            sums.getAndAdd(id, i);
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        Value.OfInt counter = Value.ofInt(0);
        Array.OfLong sums = Array.ofLongs(WORKERS);
        List<Process> jobs = new ArrayList<>();
        for (int id = 0; id < WORKERS; id++) {
            int me = id;
            Process p = new Process(() -> work(me, counter, sums));
            jobs.add(p);
            p.start();
        }
        for (Process p : jobs) {
            p.join();
        }
        System.out.println("counter = " + counter.get());
        System.out.println("sums = " + Arrays.toString(sums.toArray()));
    }
}
