package org.multiprocessing4j.examples;

import java.util.List;
import org.multiprocessing4j.Pool;

/** Seed program 5: a pool of workers squares five numbers. */
public final class PoolExample {
    private PoolExample() {
    }

    static int square(int x) {
        return x * x;
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        try (Pool pool = new Pool()) {
            System.out.println(pool.map(PoolExample::square, List.of(1, 2, 3, 4, 5)));
        }
    }
}
