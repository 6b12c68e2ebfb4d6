package org.multiprocessing4j.ipc.sharedmem;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import org.jspecify.annotations.Nullable;

/**
 * What every backend of this transport is: a serializable handle to its {@link SharedBlock},
 * equal to another handle of the same block, named after it (a pipe's two ends share a block
 * and tell themselves apart by their end).
 */
abstract class SharedPrimitive implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The primitive's memory and creator. */
    final SharedBlock block;

    SharedPrimitive(SharedBlock block) {
        this.block = block;
    }

    /**
     * The start of every operation.
     *
     * @return the block's memory
     * @throws org.multiprocessing4j.ProcessGoneException if the creator was seen dead
     */
    final MemorySegment memory() {
        MemorySegment m = block.memory();
        block.checkCreator();
        return m;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SharedPrimitive p && p.getClass() == getClass() && p.block.equals(block);
    }

    @Override
    public int hashCode() {
        return block.hashCode();
    }

    @Override
    public String toString() {
        return block.toString();
    }
}
