package org.multiprocessing4j.cluster.hazelcast;

import java.io.Serial;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.multiprocessing4j.spi.Handles;
import org.multiprocessing4j.spi.Releasable;
import org.multiprocessing4j.spi.SharedDataBackend;

/**
 * The bytes of a {@code Value} or an {@code Array} kept in the cluster, so that processes on
 * every host reach them: records of {@link DataChunk#MAX_BYTES} bytes at most ({@code
 * key#0}, {@code key#1}, ...), each changed by one operation at a time on the member that owns
 * it. An element never spans two chunks (chunks hold whole 8-byte words), so each access and
 * each read-modify-write is one operation, atomic across processes; a bulk read or write takes
 * one operation per chunk (run in parallel), atomic chunk by chunk, which is what the SPI asks.
 * Like the other records, the chunks belong to the process that made them and are gone when it
 * ends, or when it {@linkplain #release() releases} them first (core does for what a pool
 * stored here).
 *
 * @param key  the chunks' common key
 * @param size the size in bytes
 */
record ClusterData(String key, long size) implements SharedDataBackend, Releasable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final int CHUNK = DataChunk.MAX_BYTES;
    /** The most operations one bulk access has in flight. */
    private static final int IN_FLIGHT = 64;

    /** {@return this, or a manager's proxy of it when a manager encodes it for a client} */
    @Serial
    private Object writeReplace() {
        return Handles.forClient(this);
    }

    /** Decoded in a process: it joins the cluster in the background, so the first call waits less. */
    @Serial
    private Object readResolve() {
        ClusterNode.prestart();
        return this;
    }

    /**
     * {@return the bytes of a new value or array, all zeros: its chunks' records, made now}
     *
     * @param node     this process's node
     * @param byteSize how many bytes
     * @throws IllegalArgumentException if there are more than the cluster keeps in one value or array
     */
    static ClusterData create(ClusterNode node, long byteSize) {
        if (byteSize <= 0 || byteSize > (long) Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the cluster keeps values and arrays of 1 to " + Integer.MAX_VALUE
                    + " bytes, not " + byteSize);
        }
        ClusterData data = new ClusterData("data-" + UUID.randomUUID(), byteSize);
        data.eachChunk(0, data.chunks() - 1, i -> node.create(data.chunkKey(i), State.Kind.DATA, data.chunkSize(i)));
        return data;
    }

    private int chunks() {
        return (int) ((size + CHUNK - 1) / CHUNK);
    }

    private String chunkKey(int chunk) {
        return key + "#" + chunk;
    }

    private int chunkSize(int chunk) {
        return (int) Math.min(CHUNK, size - (long) chunk * CHUNK);
    }

    /**
     * Runs {@code op} for chunks {@code first} to {@code last}, in parallel when there are several
     * (at most {@link #IN_FLIGHT} at a time: a 100 MiB value has 6,400 chunks), and waits for all.
     */
    private void eachChunk(int first, int last, IntConsumer op) {
        if (first == last) {
            op.accept(first);
            return;
        }
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(IN_FLIGHT);
        try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>(last - first + 1);
            for (int i = first; i <= last; i++) {
                int chunk = i;
                inFlight.acquire();
                futures.add(each.submit(() -> {
                    try {
                        op.accept(chunk);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching " + key + " in the cluster", e);
        }
    }

    /** One operation on the number of {@code width} bytes at {@code offset}. */
    private Answer number(Op.Code code, long offset, int width, long... values) {
        ByteBuffer data = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            data.putLong(v);
        }
        return ClusterNode.check(ClusterNode.current().call(chunkKey((int) (offset / CHUNK)), code,
                (int) (offset % CHUNK), width, data.array()));
    }

    @Override
    public int getInt(long offset) {
        return (int) number(Op.Code.DATA_GET, offset, 4).number();
    }

    @Override
    public void setInt(long offset, int value) {
        number(Op.Code.DATA_SET, offset, 4, value);
    }

    @Override
    public int getAndSetInt(long offset, int value) {
        return (int) number(Op.Code.DATA_GET_AND_SET, offset, 4, value).number();
    }

    @Override
    public int getAndAddInt(long offset, int delta) {
        return (int) number(Op.Code.DATA_GET_AND_ADD, offset, 4, delta).number();
    }

    @Override
    public boolean compareAndSetInt(long offset, int expected, int value) {
        return number(Op.Code.DATA_CAS, offset, 4, expected, value).number() == 1;
    }

    @Override
    public long getLong(long offset) {
        return number(Op.Code.DATA_GET, offset, 8).number();
    }

    @Override
    public void setLong(long offset, long value) {
        number(Op.Code.DATA_SET, offset, 8, value);
    }

    @Override
    public long getAndSetLong(long offset, long value) {
        return number(Op.Code.DATA_GET_AND_SET, offset, 8, value).number();
    }

    @Override
    public long getAndAddLong(long offset, long delta) {
        return number(Op.Code.DATA_GET_AND_ADD, offset, 8, delta).number();
    }

    @Override
    public boolean compareAndSetLong(long offset, long expected, long value) {
        return number(Op.Code.DATA_CAS, offset, 8, expected, value).number() == 1;
    }

    @Override
    public byte[] read(long offset, int length) {
        checkRange(offset, length);
        byte[] out = new byte[length];
        eachPart(offset, length, (chunk, from, at, n) -> {
            byte[] part = ClusterNode.check(ClusterNode.current().call(chunkKey(chunk), Op.Code.DATA_READ, from, n,
                    new byte[0])).data();
            System.arraycopy(part, 0, out, at, n);
        });
        return out;
    }

    @Override
    public void write(long offset, byte[] bytes) {
        checkRange(offset, bytes.length);
        eachPart(offset, bytes.length, (chunk, from, at, n) -> {
            byte[] part = java.util.Arrays.copyOfRange(bytes, at, at + n);
            ClusterNode.check(ClusterNode.current().call(chunkKey(chunk), Op.Code.DATA_WRITE, from, 0, part));
        });
    }

    /**
     * Marks every chunk gone and frees its bytes, now rather than when the owner ends; later
     * accesses fail naming the release. Best effort: a chunk the cluster cannot reach now goes
     * with its owner's session.
     */
    @Override
    public void release() {
        try {
            eachChunk(0, chunks() - 1, i -> ClusterNode.check(ClusterNode.current().call(chunkKey(i), Op.Code.RELEASE,
                    0, 0, false)));
        } catch (RuntimeException unreachable) {
            System.getLogger(ClusterData.class.getName()).log(System.Logger.Level.DEBUG,
                    "could not release " + key + " now; it goes with its owner", unreachable);
        }
    }

    private void checkRange(long offset, int length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException(length + " bytes at " + offset + " of " + key + ", which holds " + size);
        }
    }

    /** What to do with the part of a range in one chunk. */
    @FunctionalInterface
    private interface Part {
        /**
         * @param chunk the chunk
         * @param from  where the part starts in the chunk
         * @param at    where it starts in the range
         * @param n     its length
         */
        void apply(int chunk, int from, int at, int n);
    }

    /** Runs {@code part} for each chunk that {@code length} bytes at {@code offset} touch, in parallel. */
    private void eachPart(long offset, int length, Part part) {
        if (length == 0) {
            return;
        }
        int first = (int) (offset / CHUNK);
        int last = (int) ((offset + length - 1) / CHUNK);
        eachChunk(first, last, chunk -> {
            long start = Math.max(offset, (long) chunk * CHUNK);
            long end = Math.min(offset + length, (long) (chunk + 1) * CHUNK);
            part.apply(chunk, (int) (start - (long) chunk * CHUNK), (int) (start - offset), (int) (end - start));
        });
    }
}
