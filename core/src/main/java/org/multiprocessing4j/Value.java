package org.multiprocessing4j;

import java.io.Serial;

/**
 * One number or boolean in shared memory, with a lock: Python's {@code multiprocessing.Value}.
 * Each class is the {@link RawValue} of its type plus the lock, so everything said there
 * holds here: type codes, atomic {@code get}/{@code set}/{@code getAndAdd}/{@code compareAndSet}
 * across processes without the lock, passing to other processes.
 * <pre>{@code
 * Value.OfInt counter = Value.ofInt(0);
 * Process p = new Process(() -> {
 *     try (var _ = counter.hold()) {          // Python's: with counter.get_lock():
 *         counter.set(counter.get() + 1);
 *     }
 *     counter.getAndAdd(1);                   // atomic by itself, no lock needed
 * });
 * }</pre>
 *
 * <p><b>The lock</b> is a new {@link RLock} unless one is given, as in Python; it may also be a
 * {@link Lock}, or any lock of ours shared by several values. It guards compound steps;
 * {@code get} and {@code set} do not take it (Python's wrapper takes it around every read and
 * write, which here would be a round trip to the lock's owner for what is already atomic).
 * Python's {@code Value(..., lock=False)} is {@link RawValue}.
 *
 * @since 0.1
 */
public sealed interface Value permits Value.OfInt, Value.OfLong, Value.OfDouble, Value.OfBoolean {

    /**
     * Python's {@code get_lock()}.
     *
     * @return the value's lock: the {@link Lock} or {@link RLock} it was made with
     */
    java.util.concurrent.locks.Lock getLock();

    /**
     * Takes the lock for a try-with-resources block, Python's {@code with v.get_lock():}.
     *
     * @return a handle whose {@code close()} releases the lock
     * @throws ProcessGoneException if the lock's owner process is gone
     */
    default Held hold() {
        java.util.concurrent.locks.Lock lock = getLock();
        lock.lock();
        return lock::unlock;
    }

    /** {@return the type code, as {@link RawValue#typeCode()}} */
    char typeCode();

    /** {@return the value, boxed, as {@link RawValue#getValue()}} */
    Object getValue();

    /**
     * Sets the value from a box of its type.
     *
     * @param value the new value, boxed, as {@link RawValue#setValue(Object)}
     */
    void setValue(Object value);

    /**
     * {@return a new int with a new {@link RLock}}
     *
     * @param initial the first value
     */
    static OfInt ofInt(int initial) {
        return ofInt(initial, new RLock());
    }

    /**
     * {@return a new int guarded by {@code lock}}
     *
     * @param initial the first value
     * @param lock    its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code lock} is not one of ours (a JVM's own lock
     *                                  cannot guard other processes)
     */
    static OfInt ofInt(int initial, java.util.concurrent.locks.Lock lock) {
        OfInt v = new OfInt(RawValue.block(SharedKind.INT), SharedHandle.processLock(lock));
        v.set(initial);
        return v;
    }

    /**
     * {@return a new long with a new {@link RLock}}
     *
     * @param initial the first value
     */
    static OfLong ofLong(long initial) {
        return ofLong(initial, new RLock());
    }

    /**
     * {@return a new long guarded by {@code lock}}
     *
     * @param initial the first value
     * @param lock    its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code lock} is not one of ours
     */
    static OfLong ofLong(long initial, java.util.concurrent.locks.Lock lock) {
        OfLong v = new OfLong(RawValue.block(SharedKind.LONG), SharedHandle.processLock(lock));
        v.set(initial);
        return v;
    }

    /**
     * {@return a new double with a new {@link RLock}}
     *
     * @param initial the first value
     */
    static OfDouble ofDouble(double initial) {
        return ofDouble(initial, new RLock());
    }

    /**
     * {@return a new double guarded by {@code lock}}
     *
     * @param initial the first value
     * @param lock    its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code lock} is not one of ours
     */
    static OfDouble ofDouble(double initial, java.util.concurrent.locks.Lock lock) {
        OfDouble v = new OfDouble(RawValue.block(SharedKind.DOUBLE), SharedHandle.processLock(lock));
        v.set(initial);
        return v;
    }

    /**
     * {@return a new boolean with a new {@link RLock}}
     *
     * @param initial the first value
     */
    static OfBoolean ofBoolean(boolean initial) {
        return ofBoolean(initial, new RLock());
    }

    /**
     * {@return a new boolean guarded by {@code lock}}
     *
     * @param initial the first value
     * @param lock    its lock: a {@link Lock} or {@link RLock}
     * @throws IllegalArgumentException if {@code lock} is not one of ours
     */
    static OfBoolean ofBoolean(boolean initial, java.util.concurrent.locks.Lock lock) {
        OfBoolean v = new OfBoolean(RawValue.block(SharedKind.BOOLEAN), SharedHandle.processLock(lock));
        v.set(initial);
        return v;
    }

    /**
     * Python's {@code Value(typecode, value)}, with a new {@link RLock}.
     *
     * @param typeCode a type code of {@link RawValue}'s table
     * @param initial  the first value: a {@link Number}, or a {@link Boolean} for {@code '?'}
     * @return a new value of the class the code maps to
     * @throws IllegalArgumentException if the code is unknown, or {@code initial} does not fit it
     */
    static Value of(char typeCode, Object initial) {
        return of(typeCode, initial, new RLock());
    }

    /**
     * Python's {@code Value(typecode, value, lock=lock)}.
     *
     * @param typeCode a type code of {@link RawValue}'s table
     * @param initial  the first value
     * @param lock     its lock: a {@link Lock} or {@link RLock}
     * @return a new value of the class the code maps to
     * @throws IllegalArgumentException if the code is unknown, {@code initial} does not fit it,
     *                                  or the lock is not one of ours
     */
    static Value of(char typeCode, Object initial, java.util.concurrent.locks.Lock lock) {
        SharedKind kind = SharedKind.forValue(typeCode);
        RawValue v = RawValue.wrap(kind, RawValue.block(kind), SharedHandle.processLock(lock));
        v.setValue(initial);
        return (Value) v;
    }

    /** An {@code int} in shared memory with a lock. */
    final class OfInt extends RawValue.OfInt implements Value {
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

    /** A {@code long} in shared memory with a lock. */
    final class OfLong extends RawValue.OfLong implements Value {
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

    /** A {@code double} in shared memory with a lock. */
    final class OfDouble extends RawValue.OfDouble implements Value {
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

    /** A {@code boolean} in shared memory with a lock. */
    final class OfBoolean extends RawValue.OfBoolean implements Value {
        @Serial
        private static final long serialVersionUID = 1L;

        OfBoolean(Place block, LockSupport lock) {
            super(block, lock);
        }

        @Override
        public java.util.concurrent.locks.Lock getLock() {
            return lock();
        }
    }
}
