package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A pool sends each function to a worker once, by number afterwards, and the worker keeps it
 * decoded (so a function that captures a large value crosses once, not once per message); the
 * worker's cache is bounded, and a function it was told to forget comes again. A large argument
 * also crosses once, but is decoded afresh for each task. One worker, shared by the tests: what
 * it decoded is counted in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoolFunctionRefTest {
    private Pool pool;

    /** A captured value that counts, in the process that decodes it, how often it was decoded. */
    record Counted(String id, byte[] payload) implements Serializable {
        static final Map<String, Integer> DECODED = new ConcurrentHashMap<>();

        @Serial
        private Object readResolve() {
            DECODED.merge(id, 1, Integer::sum);
            return this;
        }
    }

    /** {@return a function that answers how often the worker decoded its captured value} */
    private static PoolFunction<Integer, Integer> decodes(Counted c) {
        return x -> Counted.DECODED.getOrDefault(c.id(), 0);
    }

    private static PoolFunction<Integer, Integer> squarePlusDecodes(Counted big) {
        return x -> x * x + 1000 * Counted.DECODED.getOrDefault(big.id(), 0) + 0 * big.payload().length;
    }

    @BeforeAll
    void startPool() {
        pool = Pool.builder().processes(1).build();
    }

    @AfterAll
    void stopPool() throws InterruptedException {
        pool.close();
        pool.join();
    }

    @Test
    @DisplayName("functions used in turn are each decoded once in the worker")
    void alternatingFunctionsAreDecodedOnce() throws Exception {
        PoolFunction<Integer, Integer> f = decodes(new Counted("alternating-f", new byte[16]));
        PoolFunction<Integer, Integer> g = decodes(new Counted("alternating-g", new byte[16]));
        List<Integer> seen = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            seen.add(pool.apply(f, round));
            seen.add(pool.apply(g, round));
        }
        assertEquals(List.of(1, 1, 1, 1, 1, 1), seen);
    }

    @Test
    @DisplayName("a function capturing 4 MiB, mapped one item a chunk, is decoded once and every result is right")
    void largeCaptureTravelsOnce() throws Exception {
        PoolFunction<Integer, Integer> f = squarePlusDecodes(new Counted("large", new byte[4 << 20]));
        List<Integer> expected = IntStream.range(0, 100).map(x -> x * x + 1000).boxed().toList();
        assertEquals(expected, pool.map(f, IntStream.range(0, 100).boxed().toList(), 1));
        // a new instance of the same lambda with an equal capture shares its number: not sent, not decoded
        PoolFunction<Integer, Integer> again = squarePlusDecodes(new Counted("large", new byte[4 << 20]));
        assertEquals(1004, pool.apply(again, 2));
    }

    @Test
    @DisplayName("a 1 MiB argument passed ten times, or an equal one, crosses twice (inline at first sight, then by number); each task gets its own copy")
    void largeArgumentTravelsOnce() throws Exception {
        byte[] big = new byte[1 << 20];
        big[5] = 7;
        PoolFunction<byte[], Integer> readThenSpoil = a -> {
            int seen = a[5];
            a[5] = -1; // a task that changes its argument changes its own copy only
            return seen;
        };
        assertEquals(7, pool.apply(readThenSpoil, big)); // first sight: in line
        assertEquals(7, pool.apply(readThenSpoil, big)); // second: by number, sent to the worker
        long before = pool.bytesSent();
        for (int i = 0; i < 10; i++) {
            assertEquals(7, pool.apply(readThenSpoil, big));
        }
        assertEquals(7, pool.apply(readThenSpoil, big.clone()), "equal content shares the number");
        long sent = pool.bytesSent() - before;
        assertTrue(sent < 64 << 10, "11 tasks sent " + sent + " bytes: the argument travelled again");
        byte[] other = big.clone();
        other[6] = 1;
        assertEquals(7, pool.apply(readThenSpoil, other));
        assertTrue(pool.bytesSent() - before - sent > 1 << 20, "a different argument is sent");
        int cached = pool.cachedInWorkers();
        for (int i = 0; i < 5; i++) {
            byte[] distinct = big.clone();
            distinct[7] = (byte) (i + 10);
            assertEquals(7, pool.apply(readThenSpoil, distinct));
        }
        assertEquals(cached, pool.cachedInWorkers(), "arguments seen once are not kept in the worker");
    }

    @Test
    @DisplayName("past the worker's bound the least recently used function is forgotten, and sent again when used")
    void theCacheIsBounded() throws Exception {
        List<PoolFunction<Integer, Integer>> many = new ArrayList<>();
        for (int i = 0; i < WorkerCache.MAX_ENTRIES + 20; i++) {
            many.add(decodes(new Counted("many-" + i, new byte[8])));
        }
        for (PoolFunction<Integer, Integer> f : many) {
            assertEquals(1, pool.apply(f, 0));
        }
        assertEquals(1, pool.apply(many.getLast(), 0), "a recent one is still there");
        assertEquals(2, pool.apply(many.getFirst(), 0), "the first was forgotten and came again");
    }
}
