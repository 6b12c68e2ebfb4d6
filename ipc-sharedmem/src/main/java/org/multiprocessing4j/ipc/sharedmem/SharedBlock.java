package org.multiprocessing4j.ipc.sharedmem;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.ProcessGoneException;

/**
 * A primitive's piece of shared memory, and its handle: the segment's name, the offset and size
 * of the block in it, and the process that created it (whose end is the primitive's end). It
 * travels Java-serialized inside the primitive and maps the segment on first use in each
 * process.
 *
 * <p>Blocks are carved, {@value #ALIGNMENT}-byte aligned so that no two primitives share a cache
 * line, from slabs of {@value #SLAB_SIZE} bytes that the creating process maps (a new slab when
 * one is full); a block never moves and is never freed before its creator ends.
 */
final class SharedBlock implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Every block starts on a cache line of its own. */
    static final int ALIGNMENT = 64;
    /** The size of a slab; blocks are at most this. */
    static final int SLAB_SIZE = 1 << 20;

    private static @Nullable String slab;
    private static long used = SLAB_SIZE;

    private final String segment;
    private final long offset;
    private final int size;
    private final long creator;
    private transient @Nullable MemorySegment memory;

    private SharedBlock(String segment, long offset, int size, long creator) {
        this.segment = segment;
        this.offset = offset;
        this.size = size;
        this.creator = creator;
    }

    /**
     * Allocates a zero-filled block owned by this process.
     *
     * @param size its size, 1 to {@link #SLAB_SIZE}
     * @return the block
     */
    static SharedBlock allocate(int size) {
        if (size < 1 || size > SLAB_SIZE) {
            throw new IllegalArgumentException("a shared block holds 1 to " + SLAB_SIZE + " bytes, not " + size);
        }
        int rounded = (size + ALIGNMENT - 1) & -ALIGNMENT;
        synchronized (SharedBlock.class) {
            if (slab == null || used + rounded > SLAB_SIZE) {
                slab = Segments.create(SLAB_SIZE);
                used = 0;
            }
            SharedBlock b = new SharedBlock(slab, used, size, ProcessIdentity.current());
            used += rounded;
            return b;
        }
    }

    /**
     * @return the block's memory, mapped in this process
     * @throws ProcessGoneException if its segment is gone with its creator
     */
    MemorySegment memory() {
        MemorySegment m = memory;
        if (m == null) {
            MemorySegment whole = Segments.attach(segment);
            if (whole == null) {
                throw gone();
            }
            m = whole.asSlice(offset, size);
            memory = m;
        }
        return m;
    }

    /** @return the packed identity of the creating process */
    long creator() {
        return creator;
    }

    /**
     * For operations that do not wait: fails if the creator was seen dead (at most 10 ms ago).
     *
     * @throws ProcessGoneException if it is gone
     */
    void checkCreator() {
        if (!ProcessIdentity.isAliveRecently(creator)) {
            throw gone();
        }
    }

    /**
     * For waits, once a slice: fails if the creator is dead now.
     *
     * @throws ProcessGoneException if it is gone
     */
    void checkCreatorNow() {
        if (!ProcessIdentity.isAlive(creator)) {
            throw gone();
        }
    }

    private ProcessGoneException gone() {
        return new ProcessGoneException(this + " is gone: its owner, " + ProcessIdentity.describe(creator)
                + ", has ended");
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SharedBlock b && b.segment.equals(segment) && b.offset == offset;
    }

    @Override
    public int hashCode() {
        return segment.hashCode() * 31 + Long.hashCode(offset);
    }

    @Override
    public String toString() {
        return segment + "@" + offset;
    }
}
