package org.multiprocessing4j.examples;

import java.util.List;
import java.util.Map;
import org.multiprocessing4j.Pool;

/** {@link Pool#starmap}: a two-argument function over pairs, Python's {@code starmap(pow, ...)}. */
public final class PoolStarmapExample {
    private PoolStarmapExample() {
    }

    static long power(int base, int exponent) {
        long r = 1;
        for (int i = 0; i < exponent; i++) {
            r *= base;
        }
        return r;
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        try (Pool pool = new Pool(2)) {
            List<Map.Entry<Integer, Integer>> pairs = List.of(Map.entry(2, 10), Map.entry(3, 3), Map.entry(10, 2));
            System.out.println(pool.starmap(PoolStarmapExample::power, pairs));
        }
    }
}
