package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Where a process's {@code Value}s and {@code Array}s get their memory: blocks cut from
 * segments of {@value #ARENA_SIZE} bytes (Python's {@code sharedctypes} heap does the same with
 * its arenas), so a thousand counters cost one file, not a thousand. A block larger than
 * {@value #LARGE_BLOCK} bytes gets a segment of its own.
 *
 * <p>Blocks start on a cache line ({@value #ALIGNMENT} bytes), so two counters that different
 * processes hammer do not share one, and every element is naturally aligned for atomic access.
 * Blocks are never reused: a block may have been passed to other processes, which no one here
 * can see, so its bytes stay until the tree's root exits and unlinks the segments. A program
 * that makes values in an endless loop should make one array instead.
 */
final class SharedHeap {
    /** The size of a heap segment. */
    static final long ARENA_SIZE = 1 << 20;
    /** The largest block cut from a shared heap segment. */
    static final long LARGE_BLOCK = ARENA_SIZE / 4;
    /** Where blocks start: a multiple of a cache line. */
    static final long ALIGNMENT = 64;

    private final SharedMemoryRuntime runtime;
    private @Nullable MappedSegment arena;
    private long used;

    SharedHeap(SharedMemoryRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * {@return a new block of zero bytes}
     *
     * @param size the block's size in bytes, positive
     * @throws IOException if a segment cannot be created
     */
    synchronized SharedBlock allocate(long size) throws IOException {
        if (size <= 0) {
            throw new IllegalArgumentException("a shared block needs a positive size, not " + size);
        }
        if (size > LARGE_BLOCK) {
            MappedSegment own = runtime.createForBlocks(size);
            return new SharedBlock(own.name(), 0, own.memory());
        }
        if (arena == null || used + size > ARENA_SIZE) {
            arena = runtime.createForBlocks(ARENA_SIZE);
            used = 0;
        }
        SharedBlock block = new SharedBlock(arena.name(), used, arena.memory().asSlice(used, size));
        used = (used + size + ALIGNMENT - 1) & -ALIGNMENT;
        return block;
    }
}
