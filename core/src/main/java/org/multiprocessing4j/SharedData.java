package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.shm.SharedBlock;
import org.multiprocessing4j.spi.SharedDataBackend;

/**
 * What {@link RawValue} and {@link RawArray} share: their place (a block of the shared heap, or
 * a transport's backend), its element type, the lock of a {@link Value} or {@link Array},
 * identity by place, and the serial form.
 */
abstract sealed class SharedData implements Serializable permits RawValue, RawArray {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient SharedKind kind;
    private final transient Place place;
    /** The transport's backend, or null for a block of shared memory: checked by every access. */
    private final transient @Nullable SharedDataBackend remote;
    private final transient @Nullable LockSupport lock;

    SharedData(SharedKind kind, Place place, @Nullable LockSupport lock) {
        this.kind = kind;
        this.place = place;
        this.remote = place.remote();
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

    /** {@return the bytes, mapped in this process; only when {@link #remote()} is null} */
    final MemorySegment memory() {
        return place.memory();
    }

    /** {@return the transport's backend that holds the bytes, or null when they are in shared memory here} */
    final @Nullable SharedDataBackend remote() {
        return remote;
    }

    /** {@return the size in bytes} */
    final long byteSize() {
        return place.size();
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
        if (!(o instanceof SharedData other) || other.getClass() != getClass()) {
            return false;
        }
        SharedBlock b = place.block();
        SharedBlock ob = other.place.block();
        return b != null && ob != null ? ob.segment().equals(b.segment()) && ob.offset() == b.offset()
                : Objects.equals(remote, other.remote);
    }

    @Override
    public final int hashCode() {
        SharedBlock b = place.block();
        return b != null ? b.segment().hashCode() * 31 + Long.hashCode(b.offset()) : Objects.hashCode(remote);
    }

    @Serial
    final Object writeReplace() {
        SharedBlock b = place.block();
        return b != null ? new SharedHandle(this instanceof RawArray, kind, b.segment(), b.offset(), b.size(), null, lock)
                : new SharedHandle(this instanceof RawArray, kind, "", 0, place.size(), remote, lock);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("shared values and arrays travel as a SharedHandle");
    }
}
