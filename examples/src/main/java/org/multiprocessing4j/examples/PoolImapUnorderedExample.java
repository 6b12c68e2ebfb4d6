package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.multiprocessing4j.Pool;

/**
 * {@link Pool#imapUnordered}: each result as soon as any worker has it, in whatever order they
 * finish (so the example sorts them before printing): Python's {@code imap_unordered}.
 */
public final class PoolImapUnorderedExample {
    private PoolImapUnorderedExample() {
    }

    static int slowSquare(int x) throws InterruptedException {
        Thread.sleep(50L * (5 - x));                   // later arguments finish first
        return x * x;
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (Pool pool = new Pool(2)) {
            List<Integer> got = new ArrayList<>();
            Iterator<Integer> it = pool.imapUnordered(PoolImapUnorderedExample::slowSquare, List.of(1, 2, 3, 4));
            it.forEachRemaining(got::add);
            System.out.println("got " + got.size() + " results");
            got.sort(null);
            System.out.println("sorted: " + got);
        }
    }
}
