package org.multiprocessing4j;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.spi.Releasable;
import org.multiprocessing4j.spi.SharedDataBackend;

/**
 * Where a pool keeps its large functions and shared arguments once, for every worker to fetch,
 * when its workers may run on other hosts (the transport's {@link
 * org.multiprocessing4j.spi.ChildPlacement#checksClasses placement} says so) and its transport
 * keeps the bytes of values itself ({@link
 * org.multiprocessing4j.spi.NativePrimitives#sharedData}: a cluster with agents). Then a worker
 * that lacks such a value is sent a small handle to it instead of its bytes, so the value
 * leaves the pool's process once, not once per worker. Otherwise nothing is stored: a worker
 * on the same machine is as quickly sent the bytes, and fetching would cost it a cluster
 * client of its own (a second or more to start). For the same reason a value is stored only
 * when storing saves the program's link at least the bytes that the system property
 * {@value #SAVING_PROPERTY} names (64 MiB by default): sending it to every worker but one would
 * move that much more. A pool of 12
 * workers stores values from about 6 MiB, one of 2 from 64 MiB, and none under
 * {@link #MIN_BYTES}.
 *
 * <p>A value is stored from its second use in a task ({@link #use}): an argument is numbered
 * only from its second sight, so at its numbering; a function at its second chunk, so that a
 * large lambda applied once is not stored for nothing. Storing happens in the submitting
 * thread, outside the pool's lock; until it is done the value travels in line as before. What
 * is stored stays until the pool ends (workers that replace dead ones may need it), at most
 * {@link #MAX_BYTES} per pool, past which values travel in line; the pool's end
 * {@linkplain Releasable releases} it all. A value that cannot be stored (the cluster refused,
 * say) travels in line too: storing is an optimisation, never a reason for a task to fail.
 */
final class PoolStore {
    /** The most bytes a pool stores; what comes past it travels in line. */
    static final long MAX_BYTES = 256L << 20;
    /** The fewest bytes a stored value has: smaller ones cost little in line. */
    static final int MIN_BYTES = 1 << 20;
    /**
     * System property: how many bytes of the program's sending storing a value must save (its
     * size times the pool's workers less one) for the pool to store it; default 64 MiB, about
     * what a gigabit link carries while a worker's cluster client starts.
     */
    static final String SAVING_PROPERTY = "multiprocessing4j.pool.storeSaving";
    private static final long DEFAULT_SAVING = 64L << 20;
    /**
     * For tests: store whatever the placement says (a test transport has no agents) and whatever
     * storing saves.
     */
    static volatile boolean everywhereForTests;
    /** Bounds the memory of functions used once. */
    private static final int MAX_SEEN = 4096;
    private static final System.Logger LOG = System.getLogger(PoolStore.class.getName());

    /**
     * A stored value.
     *
     * @param length its length in bytes
     * @param handle the encoded backend that holds it, which the worker decodes and reads
     */
    record Stored(int length, byte[] handle) {
    }

    private final String pool;
    private final Codec codec;
    private final Map<Long, Stored> stored = new ConcurrentHashMap<>();
    /** Guarded by this: numbers used once, being stored, or stored. */
    private final Set<Long> seen = new HashSet<>();
    private final Set<Long> claimed = new HashSet<>();
    private final List<SharedDataBackend> backends = new ArrayList<>();
    private long bytes;
    private boolean closed;
    /** The fewest bytes a value this pool stores has. */
    private final long minBytes;
    /** False once the transport said it keeps no values: then nothing is tried again. */
    private volatile boolean available = true;

    /**
     * @param pool                 the pool's name, for messages
     * @param codec                what encodes a handle
     * @param workersMayBeElsewhere whether the pool's workers may run on other hosts
     * @param workers              how many workers the pool has
     */
    PoolStore(String pool, Codec codec, boolean workersMayBeElsewhere, int workers) {
        this.pool = pool;
        this.codec = codec;
        this.available = workersMayBeElsewhere || everywhereForTests;
        this.minBytes = minBytes(everywhereForTests ? 0 : Long.getLong(SAVING_PROPERTY, DEFAULT_SAVING), workers);
    }

    /**
     * {@return the fewest bytes a value has that is worth storing: storing it saves sending it to
     * {@code workers - 1} workers}
     *
     * @param saving  the least that storing must save
     * @param workers how many workers the pool has
     */
    static long minBytes(long saving, int workers) {
        if (workers <= 1) {
            return Long.MAX_VALUE;
        }
        return Math.max(MIN_BYTES, (Math.max(0, saving) + workers - 2) / (workers - 1));
    }

    /**
     * Notes that a task uses value {@code ref}, and stores it when it should be.
     *
     * @param ref    its number in the pool
     * @param value  its encoded bytes
     * @param reused whether it is known to be used again (an argument numbered at its second
     *               sight): stored now rather than at the next use
     */
    void use(long ref, byte[] value, boolean reused) {
        if (!available || value.length < minBytes || stored.containsKey(ref)) {
            return;
        }
        synchronized (this) {
            if (closed || claimed.contains(ref) || bytes + value.length > MAX_BYTES) {
                return;
            }
            if (!reused && seen.add(ref)) {
                if (seen.size() > MAX_SEEN) {
                    seen.clear();
                }
                return;
            }
            seen.remove(ref);
            claimed.add(ref);
            bytes += value.length;
        }
        SharedDataBackend backend = null;
        try {
            backend = Primitives.sharedData(value.length);
            if (backend == null) {
                available = false;
                return;
            }
            backend.write(0, value);
            byte[] handle = codec.encode(backend);
            synchronized (this) {
                if (!closed) {
                    backends.add(backend);
                    stored.put(ref, new Stored(value.length, handle));
                    backend = null;
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> pool + " could not store a value of " + value.length
                    + " bytes for its workers; it travels in line", e);
        } finally {
            if (backend != null) {
                release(backend);
            }
        }
    }

    /** {@return value {@code ref} as stored, or null if it travels in line} */
    @Nullable Stored get(long ref) {
        return stored.isEmpty() ? null : stored.get(ref);
    }

    /** {@return how many values are stored, for tests} */
    int size() {
        return stored.size();
    }

    /** Releases everything stored: the pool has ended, no worker fetches any more. */
    void close() {
        List<SharedDataBackend> toRelease;
        synchronized (this) {
            closed = true;
            toRelease = new ArrayList<>(backends);
            backends.clear();
            stored.clear();
        }
        toRelease.forEach(PoolStore::release);
    }

    private static void release(SharedDataBackend backend) {
        if (backend instanceof Releasable r) {
            try {
                r.release();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not release a pool's stored value", e);
            }
        }
    }
}
