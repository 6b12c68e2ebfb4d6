package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Barrier;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

/**
 * Three processes meet at a {@link Barrier}: none passes until all three have arrived, and
 * each gets a different arrival index, Python's {@code Barrier.wait()}.
 */
public final class BarrierExample {
    private BarrierExample() {
    }

    static void party(Barrier barrier, Queue<Integer> indexes) throws InterruptedException {
        indexes.put(barrier.await());
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Barrier barrier = new Barrier(3);
        Queue<Integer> indexes = new Queue<>();
        List<Process> parties = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Process p = new Process(() -> party(barrier, indexes));
            p.start();
            parties.add(p);
        }
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.add(indexes.get());
        }
        got.sort(null);
        System.out.println("arrival indexes: " + got);
        for (Process p : parties) {
            p.join();
        }
        System.out.println("broken: " + barrier.isBroken());
    }
}
