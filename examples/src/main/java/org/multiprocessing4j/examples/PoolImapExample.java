package org.multiprocessing4j.examples;

import java.util.Iterator;
import java.util.List;
import org.multiprocessing4j.Pool;

/**
 * {@link Pool#imap}: results come back lazily, in the order of the arguments, as workers finish
 * them: Python's {@code for r in pool.imap(f, xs)}.
 */
public final class PoolImapExample {
    private PoolImapExample() {
    }

    static String shout(String word) {
        return word.toUpperCase(java.util.Locale.ROOT) + "!";
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (Pool pool = new Pool(2)) {
            Iterator<String> it = pool.imap(PoolImapExample::shout, List.of("one", "two", "three", "four"));
            while (it.hasNext()) {
                System.out.println(it.next());
            }
        }
    }
}
