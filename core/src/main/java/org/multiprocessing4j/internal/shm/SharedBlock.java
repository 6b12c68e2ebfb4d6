package org.multiprocessing4j.internal.shm;

import java.lang.foreign.MemorySegment;

/**
 * A block of shared memory inside a segment: what a {@code Value} or an {@code Array} lives
 * in. Another process reaches the same bytes with {@link SharedMemoryRuntime#block} and the
 * segment name, offset and size.
 *
 * @param segment the segment's name
 * @param offset  where the block starts in the segment, a multiple of
 *                {@link SharedHeap#ALIGNMENT}
 * @param memory  the block's bytes, mapped in this process
 */
public record SharedBlock(String segment, long offset, MemorySegment memory) {
    /** {@return the block's size in bytes} */
    public long size() {
        return memory.byteSize();
    }
}
