package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.internal.TestPrimitives;
import org.multiprocessing4j.spi.NativePrimitives;
import org.multiprocessing4j.spi.Releasable;
import org.multiprocessing4j.spi.SharedDataBackend;

/**
 * Where the transport keeps values' bytes itself and workers may run on other hosts (a cluster
 * with agents), a pool stores a large function or argument there once and sends its workers a
 * handle: here a transport whose values are files, which the workers (other JVMs) read, with
 * the store told to act as if the workers were elsewhere.
 */
class PoolStoreTest {
    @TempDir
    static Path dir;

    /** A backend with bulk access only: numbers are not what a pool uses. */
    interface BulkOnly extends SharedDataBackend {
        @Override default int getInt(long o) { throw new UnsupportedOperationException(); }
        @Override default void setInt(long o, int v) { throw new UnsupportedOperationException(); }
        @Override default int getAndSetInt(long o, int v) { throw new UnsupportedOperationException(); }
        @Override default int getAndAddInt(long o, int d) { throw new UnsupportedOperationException(); }
        @Override default boolean compareAndSetInt(long o, int e, int v) { throw new UnsupportedOperationException(); }
        @Override default long getLong(long o) { throw new UnsupportedOperationException(); }
        @Override default void setLong(long o, long v) { throw new UnsupportedOperationException(); }
        @Override default long getAndSetLong(long o, long v) { throw new UnsupportedOperationException(); }
        @Override default long getAndAddLong(long o, long d) { throw new UnsupportedOperationException(); }
        @Override default boolean compareAndSetLong(long o, long e, long v) { throw new UnsupportedOperationException(); }
    }

    /** Bytes in a file that any process of this machine reads; only bulk access. */
    record FileData(String path, long size) implements BulkOnly, Releasable {
        static final AtomicInteger RELEASED = new AtomicInteger();

        static FileData create(long size) {
            try {
                Path file = Files.createTempFile(dir, "value", ".bin");
                return new FileData(file.toString(), size);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public byte[] read(long offset, int length) {
            try (FileChannel c = FileChannel.open(Path.of(path))) {
                ByteBuffer b = ByteBuffer.allocate(length);
                while (b.hasRemaining() && c.read(b, offset + b.position()) >= 0) {
                    // until full
                }
                return b.array();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void write(long offset, byte[] bytes) {
            try (FileChannel c = FileChannel.open(Path.of(path), StandardOpenOption.WRITE)) {
                c.write(ByteBuffer.wrap(bytes), offset);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void release() {
            RELEASED.incrementAndGet();
            try {
                Files.delete(Path.of(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A store that takes the bytes and cannot give them back: it lost them, or they do not fit in a worker. */
    record Unreadable(long size, boolean tooBig) implements BulkOnly {
        @Override
        public byte[] read(long offset, int length) {
            if (tooBig) {
                throw new OutOfMemoryError("this test's stored value does not fit");
            }
            throw new IllegalStateException("this test's store lost the bytes");
        }

        @Override
        public void write(long offset, byte[] bytes) {
        }
    }

    /** {@return a transport whose values' bytes {@code make} keeps} */
    private static NativePrimitives keepingIn(java.util.function.LongFunction<SharedDataBackend> make) {
        return new NativePrimitives() {
            @Override
            public @Nullable SharedDataBackend sharedData(long byteSize) {
                return make.apply(byteSize);
            }
        };
    }

    private static final NativePrimitives FILES = keepingIn(FileData::create);

    /** A store that refuses every write. */
    record Unwritable(long size) implements BulkOnly {
        @Override
        public byte[] read(long offset, int length) {
            throw new AssertionError("nothing was stored");
        }

        @Override
        public void write(long offset, byte[] bytes) {
            throw new IllegalStateException("this test's store is full");
        }
    }

    private static final NativePrimitives UNWRITABLE = keepingIn(Unwritable::new);

    private static final NativePrimitives UNREADABLE = keepingIn(size -> new Unreadable(size, false));

    @BeforeAll
    static void asIfOnAgents() {
        PoolStore.everywhereForTests = true; // workers here are local: a pool would store nothing
    }

    @AfterAll
    static void back() {
        PoolStore.everywhereForTests = false;
    }

    private static long files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    @DisplayName("a large argument used again, and a large function used in a second chunk, are stored once and fetched by each worker; the pool's end releases them")
    void storedOnceForEveryWorker() throws Exception {
        byte[] big = new byte[1 << 20];
        big[5] = 7;
        byte[] captured = new byte[1 << 20];
        captured[9] = 3;
        int releasedBefore = FileData.RELEASED.get();
        try (var _ = TestPrimitives.use(FILES)) {
            Pool pool = Pool.builder().processes(2).build();
            try {
                PoolFunction<byte[], Integer> readThenSpoil = a -> {
                    int seen = a[5];
                    a[5] = -1; // its own copy
                    return seen;
                };
                assertEquals(7, pool.apply(readThenSpoil, big)); // first sight: in line, not stored
                assertEquals(0, pool.storedValues());
                long before = pool.bytesSent();
                AsyncResult<?>[] results = new AsyncResult<?>[20];
                for (int i = 0; i < results.length; i++) {
                    results[i] = pool.applyAsync(readThenSpoil, big);
                }
                for (AsyncResult<?> r : results) {
                    assertEquals(7, r.get());
                }
                assertEquals(1, pool.storedValues(), "stored at its second sight");
                long sent = pool.bytesSent() - before;
                assertTrue(sent < 64 << 10, "20 tasks on 2 workers sent " + sent + " bytes: the argument travelled");

                PoolFunction<Integer, Integer> plusCaptured = x -> x + captured[9];
                assertEquals(java.util.List.of(3, 4, 5, 6), pool.map(plusCaptured, java.util.List.of(0, 1, 2, 3), 1));
                assertEquals(2, pool.storedValues(), "the function too, from its second chunk");
                assertEquals(2, files());
            } finally {
                pool.close();
                pool.join();
            }
        }
        assertEquals(releasedBefore + 2, FileData.RELEASED.get(), "the pool's end released what it stored");
        assertEquals(0, files());
    }

    @Test
    @DisplayName("a value is worth storing when sending it to every worker but one would move the saving: 12 workers from about 6 MiB, 2 from 64 MiB, 1 never, none under 1 MiB")
    void worthStoring() {
        long saving = 64L << 20;
        assertEquals((saving + 10) / 11, PoolStore.minBytes(saving, 12));
        assertEquals(saving, PoolStore.minBytes(saving, 2));
        assertEquals(Long.MAX_VALUE, PoolStore.minBytes(saving, 1));
        assertEquals(PoolStore.MIN_BYTES, PoolStore.minBytes(saving, 1000));
        assertEquals(PoolStore.MIN_BYTES, PoolStore.minBytes(0, 2));
    }

    @Test
    @DisplayName("a value the transport will not store travels in line: every task still gets it")
    void unstorableTravelsInLine() throws Exception {
        byte[] big = new byte[1 << 20];
        big[3] = 4;
        try (var _ = TestPrimitives.use(UNWRITABLE); Pool pool = Pool.builder().processes(2).build()) {
            PoolFunction<byte[], Integer> third = a -> (int) a[3];
            for (int i = 0; i < 4; i++) {
                assertEquals(4, pool.apply(third, big));
            }
            assertEquals(0, pool.storedValues());
        }
    }

    /**
     * Sends {@code big} in line, then again, stored, so that a worker fetches it:
     * {@return the second task's failure, its causes' messages joined} No worker died of it.
     */
    private static String secondUseFails(Pool pool, byte[] big) throws Exception {
        PoolFunction<byte[], Integer> length = a -> a.length;
        assertEquals(big.length, pool.apply(length, big)); // in line
        PoolTaskException e = assertThrows(PoolTaskException.class,
                () -> pool.applyAsync(length, big).get(java.time.Duration.ofMinutes(2)));
        StringBuilder m = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(t instanceof WorkerDiedException, "a worker died: " + t);
            m.append(t.getMessage()).append(" / ");
        }
        return m.toString();
    }

    @Test
    @DisplayName("a stored value a worker cannot fetch fails the tasks that use it, naming it and why; the pool carries on")
    void unfetchableFailsItsTasksOnly() throws Exception {
        byte[] big = new byte[1 << 20];
        try (var _ = TestPrimitives.use(UNREADABLE); Pool pool = Pool.builder().processes(2).build()) {
            String m = secondUseFails(pool, big);
            assertTrue(m.contains("could not fetch it") && m.contains("this test's store lost the bytes"), m);
            PoolFunction<Integer, Integer> twice = x -> x * 2;
            assertEquals(42, pool.apply(twice, 21), "the pool carries on");
        }
    }

    @Test
    @DisplayName("a stored value too big for a worker's heap fails the tasks that use it, saying it ran out of memory; the worker lives on")
    void fetchOutOfMemory() throws Exception {
        byte[] big = new byte[1 << 20];
        try (var _ = TestPrimitives.use(keepingIn(size -> new Unreadable(size, true))); Pool pool = Pool.builder().processes(2).build()) {
            PoolFunction<Integer, Long> pid = x -> ProcessHandle.current().pid();
            java.util.List<Integer> twenty = java.util.stream.IntStream.range(0, 20).boxed().toList();
            java.util.Set<Long> before = new java.util.HashSet<>(pool.map(pid, twenty, 1));
            String m = secondUseFails(pool, big);
            assertTrue(m.contains("ran out of memory fetching its") && m.contains("does not fit"), m);
            java.util.Set<Long> after = new java.util.HashSet<>(pool.map(pid, twenty, 1));
            assertTrue(before.containsAll(after), "a worker was replaced: " + before + " then " + after);
        }
    }
}
