package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

/** Seed program 1: five workers that each sleep two seconds, side by side. */
public final class Workers {
    private Workers() {
    }

    static void worker(int num) throws InterruptedException {
        String name = Multiprocessing.currentProcess().name();
        System.out.println("Worker " + num + " started in " + name);
        Thread.sleep(2000);
        System.out.println("Worker " + num + " finished in " + name);
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        List<Process> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int num = i;
            Process p = new Process(() -> worker(num));
            jobs.add(p);
            p.start();
        }
        for (Process proc : jobs) {
            proc.join();
        }
    }
}
