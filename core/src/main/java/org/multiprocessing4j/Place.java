package org.multiprocessing4j;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.internal.shm.SharedBlock;
import org.multiprocessing4j.spi.SharedDataBackend;

/**
 * Where the bytes of a {@link RawValue} or {@link RawArray} are: a block of this host's shared
 * memory (mapped here), or a transport's {@link SharedDataBackend} (a transport whose processes
 * run on several hosts keeps them where all reach them). Exactly one of the two.
 *
 * @param block  the block of shared memory, or null
 * @param remote the transport's backend, or null
 * @param size   how many bytes
 */
record Place(@Nullable SharedBlock block, @Nullable SharedDataBackend remote, long size) {

    Place {
        if ((block == null) == (remote == null)) {
            throw new IllegalArgumentException("a place is a block or a backend, exactly one of them");
        }
    }

    /**
     * {@return a new place of zeros: the transport's, if it keeps values itself, else a block of
     * this process's shared heap}
     *
     * @param bytes how many bytes
     */
    static Place allocate(long bytes) {
        SharedDataBackend remote = Primitives.sharedData(bytes);
        return remote != null ? new Place(null, remote, bytes) : of(SharedHandle.allocate(bytes));
    }

    /** {@return the place of an existing block} */
    static Place of(SharedBlock block) {
        return new Place(block, null, block.size());
    }

    /** {@return the bytes, mapped in this process; only for a block} */
    MemorySegment memory() {
        return Objects.requireNonNull(block, "a transport's value has no memory here").memory();
    }
}
