package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Process;

/** Seed program 4: five processes take turns in a critical section guarded by one lock. */
public final class LockExample {
    private LockExample() {
    }

    static void worker(Lock lock) {
        try (var _ = lock.hold()) {
            System.out.println("Critical section!");
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        Lock lock = new Lock();
        List<Process> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Process p = new Process(() -> worker(lock));
            jobs.add(p);
            p.start();
        }
        for (Process proc : jobs) {
            proc.join();
        }
    }
}
