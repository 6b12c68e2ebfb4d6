package org.multiprocessing4j;

import java.io.Serial;

/**
 * A fixed-length array in shared memory, with a lock: Python's {@code multiprocessing.Array}.
 * Each class is the {@link RawArray} of its type plus the lock, so everything said there holds
 * here: type codes, atomic element access, atomic helpers of int and long arrays, passing to
 * other processes.
 * <pre>{@code
 * Array.OfDouble totals = Array.ofDoubles(4);
 * Process p = new Process(() -> {
 *     try (var _ = totals.hold()) {            // Python's: with totals.get_lock():
 *         double[] t = totals.toArray();
 *         t[0] += 1.5;
 *         totals.copyFrom(t);
 *     }
 * });
 * }</pre>
 *
 * <p>The lock is a new {@link RLock} unless one is given (a {@link Lock} or {@link RLock}), as in
 * Python. It guards compound steps, bulk copies among them; single element reads and writes do
 * not take it (see {@link Value} for why). Python's {@code Array(..., lock=False)} is
 * {@link RawArray}.
 *
 * @since 0.1
 */
public sealed interface Array permits Array.OfInt, Array.OfLong, Array.OfDouble, Array.OfBytes {

    /**
     * Python's {@code get_lock()}.
     *
     * @return the array's lock: the {@link Lock} or {@link RLock} it was made with
     */
    java.util.concurrent.locks.Lock getLock();

    /**
     * Takes the lock for a try-with-resources block, Python's {@code with a.get_lock():}.
     *
     * @return a handle whose {@code close()} releases the lock
     * @throws ProcessGoneException if the lock's owner process is gone
     */
    default Held hold() {
        java.util.concurrent.locks.Lock lock = getLock();
        lock.lock();
        return lock::unlock;
    }

    /** {@return the number of elements} */
    int length();

    /** {@return the type code, as {@link RawArray#typeCode()}} */
    char typeCode();

    /**
     * {@return a new int array of zeros with a new {@link RLock}}
     *
     * @param length the number of elements, positive
     * @throws IllegalArgumentException if {@code length} is not positive
     */
    static OfInt ofInts(int length) {
        return ofInts(length, new RLock());
    }

    /**
     * {@return a new int array of zeros guarded by {@code lock}}
     *
     * @param length the number of elements, positive
     * @param lock   its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code length} is not positive, or the lock not one of ours
     */
    static OfInt ofInts(int length, java.util.concurrent.locks.Lock lock) {
        return new OfInt(RawArray.block(SharedKind.INT, length), SharedHandle.processLock(lock));
    }

    /**
     * {@return a new int array with a copy of them and a new {@link RLock}}
     *
     * @param contents the elements, at least one
     */
    static OfInt ofInts(int[] contents) {
        return ofInts(contents, new RLock());
    }

    /**
     * {@return a new int array with a copy of them, guarded by {@code lock}}
     *
     * @param contents the elements, at least one
     * @param lock     its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code contents} is empty, or the lock not one of ours
     */
    static OfInt ofInts(int[] contents, java.util.concurrent.locks.Lock lock) {
        OfInt a = ofInts(contents.length, lock);
        a.copyFrom(contents);
        return a;
    }

    /**
     * {@return a new long array of zeros with a new {@link RLock}}
     *
     * @param length the number of elements, positive
     * @throws IllegalArgumentException if {@code length} is not positive
     */
    static OfLong ofLongs(int length) {
        return ofLongs(length, new RLock());
    }

    /**
     * {@return a new long array of zeros guarded by {@code lock}}
     *
     * @param length the number of elements, positive
     * @param lock   its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code length} is not positive, or the lock not one of ours
     */
    static OfLong ofLongs(int length, java.util.concurrent.locks.Lock lock) {
        return new OfLong(RawArray.block(SharedKind.LONG, length), SharedHandle.processLock(lock));
    }

    /**
     * {@return a new long array with a copy of them and a new {@link RLock}}
     *
     * @param contents the elements, at least one
     */
    static OfLong ofLongs(long[] contents) {
        return ofLongs(contents, new RLock());
    }

    /**
     * {@return a new long array with a copy of them, guarded by {@code lock}}
     *
     * @param contents the elements, at least one
     * @param lock     its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code contents} is empty, or the lock not one of ours
     */
    static OfLong ofLongs(long[] contents, java.util.concurrent.locks.Lock lock) {
        OfLong a = ofLongs(contents.length, lock);
        a.copyFrom(contents);
        return a;
    }

    /**
     * {@return a new double array of zeros with a new {@link RLock}}
     *
     * @param length the number of elements, positive
     * @throws IllegalArgumentException if {@code length} is not positive
     */
    static OfDouble ofDoubles(int length) {
        return ofDoubles(length, new RLock());
    }

    /**
     * {@return a new double array of zeros guarded by {@code lock}}
     *
     * @param length the number of elements, positive
     * @param lock   its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code length} is not positive, or the lock not one of ours
     */
    static OfDouble ofDoubles(int length, java.util.concurrent.locks.Lock lock) {
        return new OfDouble(RawArray.block(SharedKind.DOUBLE, length), SharedHandle.processLock(lock));
    }

    /**
     * {@return a new double array with a copy of them and a new {@link RLock}}
     *
     * @param contents the elements, at least one
     */
    static OfDouble ofDoubles(double[] contents) {
        return ofDoubles(contents, new RLock());
    }

    /**
     * {@return a new double array with a copy of them, guarded by {@code lock}}
     *
     * @param contents the elements, at least one
     * @param lock     its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code contents} is empty, or the lock not one of ours
     */
    static OfDouble ofDoubles(double[] contents, java.util.concurrent.locks.Lock lock) {
        OfDouble a = ofDoubles(contents.length, lock);
        a.copyFrom(contents);
        return a;
    }

    /**
     * {@return a new byte array of zeros with a new {@link RLock}}
     *
     * @param length the number of elements, positive
     * @throws IllegalArgumentException if {@code length} is not positive
     */
    static OfBytes ofBytes(int length) {
        return ofBytes(length, new RLock());
    }

    /**
     * {@return a new byte array of zeros guarded by {@code lock}}
     *
     * @param length the number of elements, positive
     * @param lock   its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code length} is not positive, or the lock not one of ours
     */
    static OfBytes ofBytes(int length, java.util.concurrent.locks.Lock lock) {
        return new OfBytes(RawArray.block(SharedKind.BYTE, length), SharedHandle.processLock(lock));
    }

    /**
     * {@return a new byte array with a copy of them and a new {@link RLock}}
     *
     * @param contents the elements, at least one
     */
    static OfBytes ofBytes(byte[] contents) {
        return ofBytes(contents, new RLock());
    }

    /**
     * {@return a new byte array with a copy of them, guarded by {@code lock}}
     *
     * @param contents the elements, at least one
     * @param lock     its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code contents} is empty, or the lock not one of ours
     */
    static OfBytes ofBytes(byte[] contents, java.util.concurrent.locks.Lock lock) {
        OfBytes a = ofBytes(contents.length, lock);
        a.copyFrom(contents);
        return a;
    }

    /**
     * Python's {@code Array(typecode, size)}, with a new {@link RLock}.
     *
     * @param typeCode a type code of {@link RawArray}'s class comment
     * @param length   the number of elements, positive
     * @return a new array of zeros of the class the code maps to
     * @throws IllegalArgumentException if the code is unknown or the length not positive
     */
    static Array of(char typeCode, int length) {
        return of(typeCode, length, new RLock());
    }

    /**
     * Python's {@code Array(typecode, size, lock=lock)}.
     *
     * @param typeCode a type code of {@link RawArray}'s class comment
     * @param length   the number of elements, positive
     * @param lock     its lock: a {@link Lock} or {@link RLock}
     * @return a new array of zeros of the class the code maps to
     * @throws IllegalArgumentException if the code is unknown, the length not positive, or the
     *                                  lock not one of ours
     */
    static Array of(char typeCode, int length, java.util.concurrent.locks.Lock lock) {
        SharedKind kind = SharedKind.forArray(typeCode);
        return (Array) RawArray.wrap(kind, RawArray.block(kind, length), SharedHandle.processLock(lock));
    }

    /**
     * Python's {@code Array(typecode, initializer)}, with a new {@link RLock}.
     *
     * @param typeCode a type code of {@link RawArray}'s class comment
     * @param contents an {@code int[]}, {@code long[]}, {@code double[]} or {@code byte[]}, as
     *                 the code says, with at least one element
     * @return a new array with a copy of the contents
     * @throws IllegalArgumentException if the code is unknown, or the contents do not fit it
     */
    static Array of(char typeCode, Object contents) {
        return of(typeCode, contents, new RLock());
    }

    /**
     * Python's {@code Array(typecode, initializer, lock=lock)}.
     *
     * @param typeCode a type code of {@link RawArray}'s class comment
     * @param contents an array of the code's type, with at least one element
     * @param lock     its lock: a {@link Lock} or {@link RLock}
     * @return a new array with a copy of the contents
     * @throws IllegalArgumentException if the code is unknown, the contents do not fit it, or
     *                                  the lock is not one of ours
     */
    static Array of(char typeCode, Object contents, java.util.concurrent.locks.Lock lock) {
        SharedKind kind = SharedKind.forArray(typeCode);
        RawArray a = RawArray.wrap(kind, RawArray.block(kind, RawArray.lengthOf(kind, contents)),
                SharedHandle.processLock(lock));
        a.copyFromArray(contents);
        return (Array) a;
    }

    /** A {@code int[]} in shared memory with a lock. */
    final class OfInt extends RawArray.OfInt implements Array {
        @Serial
        private static final long serialVersionUID = 1L;

        OfInt(Place block, LockSupport lock) {
            super(block, lock);
        }

        @Override
        public java.util.concurrent.locks.Lock getLock() {
            return lock();
        }
    }

    /** A {@code long[]} in shared memory with a lock. */
    final class OfLong extends RawArray.OfLong implements Array {
        @Serial
        private static final long serialVersionUID = 1L;

        OfLong(Place block, LockSupport lock) {
            super(block, lock);
        }

        @Override
        public java.util.concurrent.locks.Lock getLock() {
            return lock();
        }
    }

    /** A {@code double[]} in shared memory with a lock. */
    final class OfDouble extends RawArray.OfDouble implements Array {
        @Serial
        private static final long serialVersionUID = 1L;

        OfDouble(Place block, LockSupport lock) {
            super(block, lock);
        }

        @Override
        public java.util.concurrent.locks.Lock getLock() {
            return lock();
        }
    }

    /** A {@code byte[]} in shared memory with a lock. */
    final class OfBytes extends RawArray.OfBytes implements Array {
        @Serial
        private static final long serialVersionUID = 1L;

        OfBytes(Place block, LockSupport lock) {
            super(block, lock);
        }

        @Override
        public java.util.concurrent.locks.Lock getLock() {
            return lock();
        }
    }
}
