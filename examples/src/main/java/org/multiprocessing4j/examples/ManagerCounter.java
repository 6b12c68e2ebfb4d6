package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.DictProxy;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Process;

/**
 * A counter shared through a manager's map by four processes: Python's
 * {@code with lock: d['count'] += 1}, and the same done atomically in the server with
 * {@code merge}.
 */
public final class ManagerCounter {
    private static final int WORKERS = 4;
    private static final int TIMES = 100;

    private ManagerCounter() {
    }

    static void work(DictProxy<String, Integer> counts, Lock lock) {
        for (int i = 0; i < TIMES; i++) {
            try (var _ = lock.hold()) {                    // Python: with lock:
                counts.put("count", counts.get("count") + 1);
            }
            counts.merge("merged", 1, Integer::sum);       // one atomic call, no lock
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        try (Manager manager = new Manager()) {
            manager.start();
            DictProxy<String, Integer> counts = manager.dict();
            Lock lock = manager.lock();
            counts.put("count", 0);
            List<Process> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                Process p = new Process(() -> work(counts, lock));
                p.start();
                workers.add(p);
            }
            for (Process p : workers) {
                p.join();
            }
            System.out.println(counts);
        }
    }
}
