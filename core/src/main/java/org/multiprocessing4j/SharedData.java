package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.shm.SharedBlock;

/**
 * What {@link RawValue} and {@link RawArray} share: a block of the shared heap, its element
 * type, the lock of a {@link Value} or {@link Array}, identity by place, and the serial form.
 */
abstract sealed class SharedData implements Serializable permits RawValue, RawArray {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient SharedKind kind;
    private final transient SharedBlock block;
    private final transient @Nullable LockSupport lock;

    SharedData(SharedKind kind, SharedBlock block, @Nullable LockSupport lock) {
        this.kind = kind;
        this.block = block;
        this.lock = lock;
    }

    /** {@return the type code of this object's class, one of {@link SharedKind}'s} */
    public final char typeCode() {
        return kind.typeCode();
    }

    /** {@return the element type} */
    final SharedKind kind() {
        return kind;
    }

    /** {@return the bytes, mapped in this process} */
    final MemorySegment memory() {
        return block.memory();
    }

    /** {@return the block's size in bytes} */
    final long byteSize() {
        return block.size();
    }

    /** {@return the lock, for {@link Value} and {@link Array}} */
    final LockSupport lock() {
        return Objects.requireNonNull(lock, "raw shared data has no lock");
    }

    /** {@return {@code prefix} for a locked object, {@code "Raw" + prefix} for a raw one} */
    final String className(String prefix) {
        return lock == null ? "Raw" + prefix : prefix;
    }

    /** Two objects are equal when they are of one class and stand for the same shared memory. */
    @Override
    public final boolean equals(@Nullable Object o) {
        return o instanceof SharedData other && other.getClass() == getClass()
                && other.block.segment().equals(block.segment()) && other.block.offset() == block.offset();
    }

    @Override
    public final int hashCode() {
        return block.segment().hashCode() * 31 + Long.hashCode(block.offset());
    }

    @Serial
    final Object writeReplace() {
        return new SharedHandle(this instanceof RawArray, kind, block.segment(), block.offset(), block.size(), lock);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("shared values and arrays travel as a SharedHandle");
    }
}
