package org.multiprocessing4j.ipc.sharedmem;

import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.NoSuchFileException;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.shm.MappedSegment;
import org.multiprocessing4j.internal.shm.SharedMemoryRuntime;

/**
 * A primitive's piece of shared memory, and its handle: the segment's name, the offset and size
 * of the block in it, and the process that created it (whose end is the primitive's end). It
 * travels Java-serialized inside the primitive and maps the segment on first use in each
 * process.
 *
 * <p>The memory is core's: small blocks come from the process's shared heap
 * ({@link SharedMemoryRuntime#allocate}, 64-byte aligned, so no two primitives share a cache
 * line), larger ones ({@link #allocateSegment}) are segments of their own. Either way core
 * names the segment after the tree's root, records it in the tree's tracking file and unlinks
 * it when the root exits (or the next run sweeps it, if the root was killed). A block never
 * moves and is never freed before then, but for a segment of its own that its creator frees
 * once no process can reach the primitive ({@link #free}: a queue that never left its
 * creator, garbage-collected there).
 */
final class SharedBlock implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    private final String segment;
    private final long offset;
    private final long size;
    private final long creator;
    private transient @Nullable MemorySegment memory;
    /** The creator's mapping of a segment of its own ({@link #allocateSegment}); null elsewhere. */
    private transient @Nullable MappedSegment own;
    /**
     * The {@link Ticks tick} in which this JVM last saw the creator alive through this handle
     * ({@link #checkCreator}), or 0 (also what a deserialized handle starts with): a hint that
     * spares the per-JVM cache's look-up, and the clock's read, on every operation. One long,
     * so a racing thread reads an old stamp or a new one.
     */
    private transient long creatorSeenTick;

    private SharedBlock(String segment, long offset, long size, MemorySegment memory) {
        this.segment = segment;
        this.offset = offset;
        this.size = size;
        this.creator = ProcessIdentity.current();
        this.memory = memory;
    }

    /**
     * Allocates a zero-filled block from this process's shared heap.
     *
     * @param size its size in bytes, positive
     * @return the block, owned by this process
     */
    static SharedBlock allocate(long size) {
        var b = runtime().allocate(size);
        return new SharedBlock(b.segment(), b.offset(), size, b.memory());
    }

    /**
     * Creates a zero-filled segment of its own, for a primitive too large for the heap.
     *
     * @param size its size in bytes, positive
     * @return the block, the whole segment, owned by this process
     * @throws IllegalStateException naming the size and the cause if it cannot be created
     */
    static SharedBlock allocateSegment(long size) {
        try {
            var s = runtime().create(null, size);
            SharedBlock block = new SharedBlock(s.name(), 0, size, s.memory());
            block.own = s;
            return block;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create a shared-memory segment of " + size + " bytes: "
                    + e.getMessage(), e);
        }
    }

    private static SharedMemoryRuntime runtime() {
        return ProcessRuntime.current().sharedMemory();
    }

    /**
     * {@return the block's memory, mapped in this process}
     *
     * @throws ProcessGoneException if its segment is gone: with its creator, or removed while
     *                              the creator lives (an object closed for good, whose files go
     *                              at once, such as a pipe's queues once both ends are closed)
     */
    MemorySegment memory() {
        MemorySegment m = memory;
        if (m == null) {
            try {
                m = runtime().block(segment, offset, size).memory();
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof NoSuchFileException) {
                    if (ProcessIdentity.isAlive(creator)) {
                        throw new ProcessGoneException(this + " is gone: its file was removed while its owner, "
                                + ProcessIdentity.describe(creator) + ", lives (closed for good)");
                    }
                    throw gone();
                }
                throw e;
            }
            memory = m;
        }
        return m;
    }

    /**
     * Frees a segment of its own in its creator, for a primitive no process can reach any more:
     * unmaps it here and removes its file. Does nothing for a heap block or a copy of the handle.
     */
    void free() {
        if (unmap()) {
            try {
                runtime().unlink(segment);
            } catch (java.io.IOException e) {
                // gone already, or the tracking file is: the root's exit removes what is left
            }
        }
    }

    /**
     * Unmaps a segment of its own in its creator, for a primitive no object of this process can
     * reach any more; its file stays for other processes (removed when the primitive is closed
     * for good, or at the root's exit). Does nothing for a heap block or a copy of the handle.
     *
     * @return true if this was the creator's handle, now unmapped
     */
    boolean unmap() {
        MappedSegment s = own;
        if (s == null) {
            return false;
        }
        own = null;
        memory = null;
        s.close();
        return true;
    }

    /** {@return the name of the segment the block is in} */
    String segment() {
        return segment;
    }

    /** {@return the packed identity of the creating process} */
    long creator() {
        return creator;
    }

    /**
     * For operations that do not wait: fails if the creator was seen dead (at most a tick or
     * two, 10 to 20 ms, ago). Once a tick it asks {@link ProcessIdentity#isAliveRecently}; in
     * between it is a comparison of two longs.
     *
     * @throws ProcessGoneException if it is gone
     */
    void checkCreator() {
        long t = Ticks.now();
        if (t != 0 && t == creatorSeenTick) {
            return;
        }
        t = Ticks.used();
        if (!ProcessIdentity.isAliveRecently(creator)) {
            throw gone();
        }
        creatorSeenTick = t;
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
