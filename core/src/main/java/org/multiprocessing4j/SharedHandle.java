package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.shm.SharedBlock;
import org.multiprocessing4j.spi.SharedDataBackend;

/**
 * The serial form of a {@link RawValue} or {@link RawArray}: where its bytes are (a block, or a
 * transport's backend), what is in them, and its lock. The receiver maps the block's segment
 * (once per process), or takes the backend, and gets an object of the same class over the same
 * bytes.
 *
 * @param array   whether it is an array
 * @param kind    the element type
 * @param segment the block's segment (empty for a backend)
 * @param offset  the block's offset in it
 * @param size    the size in bytes
 * @param remote  the transport's backend, or null for a block
 * @param lock    the lock of a {@link Value} or {@link Array}; null for raw ones
 */
record SharedHandle(boolean array, SharedKind kind, String segment, long offset, long size,
                    @Nullable SharedDataBackend remote, @Nullable LockSupport lock) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * {@return a new block of zeros from this process's heap (see {@link Place#allocate})}
     *
     * @param bytes the block's size
     */
    static SharedBlock allocate(long bytes) {
        return ProcessRuntime.current().sharedMemory().allocate(bytes);
    }

    /**
     * {@return it, as one of ours}
     *
     * @param lock a lock a caller gave for a Value or Array
     * @throws IllegalArgumentException if it is not a {@link Lock} or {@link RLock}
     */
    static LockSupport processLock(java.util.concurrent.locks.Lock lock) {
        Objects.requireNonNull(lock, "lock");
        if (lock instanceof LockSupport ours) {
            return ours;
        }
        throw new IllegalArgumentException("the lock of a shared value or array must be a multiprocessing4j Lock or RLock, not a "
                + lock.getClass().getName() + ": a lock of one JVM cannot guard memory that other processes use");
    }

    @Serial
    private Object readResolve() {
        Place place = remote != null ? new Place(null, remote, size)
                : Place.of(ProcessRuntime.current().sharedMemory().block(segment, offset, size));
        return array ? RawArray.wrap(kind, place, lock) : RawValue.wrap(kind, place, lock);
    }
}
