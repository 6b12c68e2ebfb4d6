package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.multiprocessing4j.Array;
import org.multiprocessing4j.Process;

/**
 * Two processes fill halves of one shared {@link Array} of doubles, which the parent then
 * reads: Python's {@code Array('d', 6)}, in shared memory rather than sent back.
 */
public final class ArrayExample {
    private ArrayExample() {
    }

    static void fill(Array.OfDouble squares, int from, int to) {
        for (int i = from; i < to; i++) {
            squares.set(i, (double) i * i);
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Array.OfDouble squares = Array.ofDoubles(6);
        List<Process> fillers = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            int from = half * 3;
            Process p = new Process(() -> fill(squares, from, from + 3));
            p.start();
            fillers.add(p);
        }
        for (Process p : fillers) {
            p.join();
        }
        System.out.println(Arrays.toString(squares.toArray()));
    }
}
