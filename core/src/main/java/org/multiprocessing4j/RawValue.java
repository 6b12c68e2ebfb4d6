package org.multiprocessing4j;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.SharedDataBackend;

/**
 * One number or boolean in shared memory, without a lock: Python's
 * {@code multiprocessing.RawValue} (and {@code Value(..., lock=False)}). {@link Value} is the
 * same with a lock.
 *
 * <p>One class per type: {@link OfInt}, {@link OfLong}, {@link OfDouble}, {@link OfBoolean}.
 * Python's type codes map to them as follows ({@link #of(char, Object)}):
 * <table class="striped">
 *   <caption>Type codes</caption>
 *   <thead><tr><th>code</th><th>class</th><th>Python's C type</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code 'i'}</td><td>{@link OfInt}</td><td>int</td></tr>
 *   <tr><td>{@code 'l'}, {@code 'q'}</td><td>{@link OfLong}</td><td>long (64 bits on Linux), long long</td></tr>
 *   <tr><td>{@code 'd'}, {@code 'f'}</td><td>{@link OfDouble}</td><td>double, float (kept as a double)</td></tr>
 *   <tr><td>{@code '?'}</td><td>{@link OfBoolean}</td><td>_Bool</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>Atomic across processes.</b> {@code get} and {@code set} are volatile accesses, and
 * {@code getAndAdd}, {@code compareAndSet} and the like are atomic read-modify-writes of the
 * shared memory itself ({@link VarHandle} on the mapped segment), so they are atomic between
 * processes as well as threads, with no lock. A lock is for compound steps
 * ({@code v.set(v.get() * 2)}).
 *
 * <p><b>Memory and passing on.</b> The value lives in a block of this process's shared heap
 * (values share segments, see {@code docs/architecture.md}); it starts with the given value.
 * Captured by a target or put in a queue, it travels as the block's place and the receiver
 * uses the same memory. It lives until the root of the process tree exits.
 *
 * @since 0.1
 */
public abstract sealed class RawValue extends SharedData
        permits RawValue.OfInt, RawValue.OfLong, RawValue.OfDouble, RawValue.OfBoolean {
    @Serial
    private static final long serialVersionUID = 1L;

    RawValue(SharedKind kind, Place block, @Nullable LockSupport lock) {
        super(kind, block, lock);
    }

    /**
     * {@return a new int, {@code initial} at first}
     *
     * @param initial the first value
     */
    public static OfInt ofInt(int initial) {
        return init(new OfInt(block(SharedKind.INT), null), initial);
    }

    /**
     * {@return a new long, {@code initial} at first}
     *
     * @param initial the first value
     */
    public static OfLong ofLong(long initial) {
        return init(new OfLong(block(SharedKind.LONG), null), initial);
    }

    /**
     * {@return a new double, {@code initial} at first}
     *
     * @param initial the first value
     */
    public static OfDouble ofDouble(double initial) {
        return init(new OfDouble(block(SharedKind.DOUBLE), null), initial);
    }

    /**
     * {@return a new boolean, {@code initial} at first}
     *
     * @param initial the first value
     */
    public static OfBoolean ofBoolean(boolean initial) {
        return init(new OfBoolean(block(SharedKind.BOOLEAN), null), initial);
    }

    /**
     * Python's {@code RawValue(typecode, value)}.
     *
     * @param typeCode a type code of the table above
     * @param initial  the first value: a {@link Number} for the numeric codes, a
     *                 {@link Boolean} for {@code '?'}
     * @return a new value of the class the code maps to
     * @throws IllegalArgumentException if the code is unknown, or {@code initial} does not fit it
     */
    public static RawValue of(char typeCode, Object initial) {
        RawValue v = wrap(SharedKind.forValue(typeCode), block(SharedKind.forValue(typeCode)), null);
        v.setValue(initial);
        return v;
    }

    static Place block(SharedKind kind) {
        return Place.allocate(kind.bytes());
    }

    private static <V extends RawValue> V init(V value, Object initial) {
        value.setValue(initial);
        return value;
    }

    /** An object of the right class over an existing block: raw when {@code lock} is null. */
    static RawValue wrap(SharedKind kind, Place block, @Nullable LockSupport lock) {
        return switch (kind) {
            case INT -> lock == null ? new OfInt(block, null) : new Value.OfInt(block, lock);
            case LONG -> lock == null ? new OfLong(block, null) : new Value.OfLong(block, lock);
            case DOUBLE -> lock == null ? new OfDouble(block, null) : new Value.OfDouble(block, lock);
            case BOOLEAN -> lock == null ? new OfBoolean(block, null) : new Value.OfBoolean(block, lock);
            case BYTE -> throw new IllegalArgumentException("no Value of bytes");
        };
    }

    /**
     * Python's {@code value} attribute, boxed: for code that does not know the type.
     *
     * @return the current value: an Integer, Long, Double or Boolean
     */
    public abstract Object getValue();

    /**
     * Sets the value from a box (Python's {@code v.value = x}).
     *
     * @param value a {@link Number} (numeric values; for an int it must fit in one) or a
     *              {@link Boolean}
     * @throws IllegalArgumentException if it does not fit this value's type
     */
    public abstract void setValue(Object value);

    @Override
    public String toString() {
        return className("Value") + "('" + typeCode() + "', " + getValue() + ")";
    }

    /**
     * {@return the number as a long, or null if it is not a whole number a long holds}: a
     * {@code double} or {@code float} is refused as Python's ctypes refuses a float for an int
     * type; a {@code BigInteger} or {@code BigDecimal} is taken only when exact
     */
    static @Nullable Long whole(Number n) {
        return switch (n) {
            case Byte b -> (long) b;
            case Short s -> (long) s;
            case Integer i -> (long) i;
            case Long l -> l;
            case Double d -> null;
            case Float f -> null;
            case java.math.BigInteger b -> b.bitLength() < Long.SIZE ? b.longValue() : null;
            case java.math.BigDecimal d -> {
                try {
                    yield d.longValueExact();
                } catch (ArithmeticException notWhole) {
                    yield null;
                }
            }
            default -> {
                long l = n.longValue(); // AtomicInteger, AtomicLong, LongAdder, ...
                yield n.doubleValue() == (double) l ? l : null;
            }
        };
    }

    private static IllegalArgumentException misfit(Object value, String type) {
        return new IllegalArgumentException("a shared " + type + " cannot hold " + value + " ("
                + (value == null ? "null" : value.getClass().getName()) + ")");
    }

    /** An {@code int} in shared memory ({@code 'i'}). */
    public static sealed class OfInt extends RawValue permits Value.OfInt {
        @Serial
        private static final long serialVersionUID = 1L;
        private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

        OfInt(Place block, @Nullable LockSupport lock) {
            super(SharedKind.INT, block, lock);
        }

        /** {@return the value (a volatile read)} */
        public int get() {
            SharedDataBackend r = remote();
            return r != null ? r.getInt(0) : (int) INT.getVolatile(memory(), 0L);
        }

        /**
         * Sets the value.
         *
         * @param value the new value (a volatile write)
         */
        public void set(int value) {
            SharedDataBackend r = remote();
            if (r != null) {
                r.setInt(0, value);
                return;
            }
            INT.setVolatile(memory(), 0L, value);
        }

        /**
         * {@return the value before, atomically}
         *
         * @param value the new value
         */
        public int getAndSet(int value) {
            SharedDataBackend r = remote();
            return r != null ? r.getAndSetInt(0, value) : (int) INT.getAndSet(memory(), 0L, value);
        }

        /**
         * {@return the value before the addition, atomically}
         *
         * @param delta what to add
         */
        public int getAndAdd(int delta) {
            SharedDataBackend r = remote();
            return r != null ? r.getAndAddInt(0, delta) : (int) INT.getAndAdd(memory(), 0L, delta);
        }

        /**
         * {@return the value after the addition, atomically}
         *
         * @param delta what to add
         */
        public int addAndGet(int delta) {
            return getAndAdd(delta) + delta;
        }

        /**
         * {@return whether it had {@code expected} and now has {@code value}, atomically}
         *
         * @param expected the value it must have
         * @param value    the new value
         */
        public boolean compareAndSet(int expected, int value) {
            SharedDataBackend r = remote();
            return r != null ? r.compareAndSetInt(0, expected, value) : INT.compareAndSet(memory(), 0L, expected, value);
        }

        @Override
        public Object getValue() {
            return get();
        }

        @Override
        public void setValue(Object value) {
            @Nullable Long whole = value instanceof Number n ? whole(n) : null;
            if (whole == null || whole != whole.intValue()) {
                throw misfit(value, "int");
            }
            set(whole.intValue());
        }
    }

    /** A {@code long} in shared memory ({@code 'l'}, {@code 'q'}). */
    public static sealed class OfLong extends RawValue permits Value.OfLong {
        @Serial
        private static final long serialVersionUID = 1L;
        private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

        OfLong(Place block, @Nullable LockSupport lock) {
            super(SharedKind.LONG, block, lock);
        }

        /** {@return the value (a volatile read)} */
        public long get() {
            SharedDataBackend r = remote();
            return r != null ? r.getLong(0) : (long) LONG.getVolatile(memory(), 0L);
        }

        /**
         * Sets the value.
         *
         * @param value the new value (a volatile write)
         */
        public void set(long value) {
            SharedDataBackend r = remote();
            if (r != null) {
                r.setLong(0, value);
                return;
            }
            LONG.setVolatile(memory(), 0L, value);
        }

        /**
         * {@return the value before, atomically}
         *
         * @param value the new value
         */
        public long getAndSet(long value) {
            SharedDataBackend r = remote();
            return r != null ? r.getAndSetLong(0, value) : (long) LONG.getAndSet(memory(), 0L, value);
        }

        /**
         * {@return the value before the addition, atomically}
         *
         * @param delta what to add
         */
        public long getAndAdd(long delta) {
            SharedDataBackend r = remote();
            return r != null ? r.getAndAddLong(0, delta) : (long) LONG.getAndAdd(memory(), 0L, delta);
        }

        /**
         * {@return the value after the addition, atomically}
         *
         * @param delta what to add
         */
        public long addAndGet(long delta) {
            return getAndAdd(delta) + delta;
        }

        /**
         * {@return whether it had {@code expected} and now has {@code value}, atomically}
         *
         * @param expected the value it must have
         * @param value    the new value
         */
        public boolean compareAndSet(long expected, long value) {
            SharedDataBackend r = remote();
            return r != null ? r.compareAndSetLong(0, expected, value)
                    : LONG.compareAndSet(memory(), 0L, expected, value);
        }

        @Override
        public Object getValue() {
            return get();
        }

        @Override
        public void setValue(Object value) {
            @Nullable Long whole = value instanceof Number n ? whole(n) : null;
            if (whole == null) {
                throw misfit(value, "long");
            }
            set(whole);
        }
    }

    /**
     * A {@code double} in shared memory ({@code 'd'}, {@code 'f'}). {@link #compareAndSet} compares
     * the bits, as {@link VarHandle} does: {@code -0.0} is not {@code 0.0}, and a NaN matches
     * the same NaN.
     */
    public static sealed class OfDouble extends RawValue permits Value.OfDouble {
        @Serial
        private static final long serialVersionUID = 1L;
        private static final VarHandle DOUBLE = ValueLayout.JAVA_DOUBLE.varHandle();

        OfDouble(Place block, @Nullable LockSupport lock) {
            super(SharedKind.DOUBLE, block, lock);
        }

        /** {@return the value (a volatile read)} */
        public double get() {
            SharedDataBackend r = remote();
            return r != null ? Double.longBitsToDouble(r.getLong(0)) : (double) DOUBLE.getVolatile(memory(), 0L);
        }

        /**
         * Sets the value.
         *
         * @param value the new value (a volatile write)
         */
        public void set(double value) {
            SharedDataBackend r = remote();
            if (r != null) {
                r.setLong(0, Double.doubleToRawLongBits(value));
                return;
            }
            DOUBLE.setVolatile(memory(), 0L, value);
        }

        /**
         * {@return the value before, atomically}
         *
         * @param value the new value
         */
        public double getAndSet(double value) {
            SharedDataBackend r = remote();
            return r != null ? Double.longBitsToDouble(r.getAndSetLong(0, Double.doubleToRawLongBits(value)))
                    : (double) DOUBLE.getAndSet(memory(), 0L, value);
        }

        /**
         * {@return the value before the addition, atomically (a compare-and-set loop)}
         *
         * @param delta what to add
         */
        public double getAndAdd(double delta) {
            SharedDataBackend r = remote();
            if (r != null) {
                while (true) {
                    long before = r.getLong(0);
                    double b = Double.longBitsToDouble(before);
                    if (r.compareAndSetLong(0, before, Double.doubleToRawLongBits(b + delta))) {
                        return b;
                    }
                }
            }
            MemorySegment memory = memory();
            while (true) {
                double before = (double) DOUBLE.getVolatile(memory, 0L);
                if (DOUBLE.weakCompareAndSet(memory, 0L, before, before + delta)) {
                    return before;
                }
            }
        }

        /**
         * {@return the value after the addition, atomically}
         *
         * @param delta what to add
         */
        public double addAndGet(double delta) {
            return getAndAdd(delta) + delta;
        }

        /**
         * {@return whether it had {@code expected} and now has {@code value}, atomically}
         *
         * @param expected the value it must have (compared bit for bit)
         * @param value    the new value
         */
        public boolean compareAndSet(double expected, double value) {
            SharedDataBackend r = remote();
            return r != null
                    ? r.compareAndSetLong(0, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value))
                    : DOUBLE.compareAndSet(memory(), 0L, expected, value);
        }

        @Override
        public Object getValue() {
            return get();
        }

        @Override
        public void setValue(Object value) {
            if (!(value instanceof Number n)) {
                throw misfit(value, "double");
            }
            set(n.doubleValue());
        }
    }

    /** A {@code boolean} in shared memory ({@code '?'}), stored as an int 0 or 1. */
    public static sealed class OfBoolean extends RawValue permits Value.OfBoolean {
        @Serial
        private static final long serialVersionUID = 1L;
        private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

        OfBoolean(Place block, @Nullable LockSupport lock) {
            super(SharedKind.BOOLEAN, block, lock);
        }

        /** {@return the value (a volatile read)} */
        public boolean get() {
            SharedDataBackend r = remote();
            return (r != null ? r.getInt(0) : (int) INT.getVolatile(memory(), 0L)) != 0;
        }

        /**
         * Sets the value.
         *
         * @param value the new value (a volatile write)
         */
        public void set(boolean value) {
            SharedDataBackend r = remote();
            if (r != null) {
                r.setInt(0, value ? 1 : 0);
                return;
            }
            INT.setVolatile(memory(), 0L, value ? 1 : 0);
        }

        /**
         * {@return the value before, atomically}
         *
         * @param value the new value
         */
        public boolean getAndSet(boolean value) {
            SharedDataBackend r = remote();
            return (r != null ? r.getAndSetInt(0, value ? 1 : 0) : (int) INT.getAndSet(memory(), 0L, value ? 1 : 0)) != 0;
        }

        /**
         * {@return whether it had {@code expected} and now has {@code value}, atomically}
         *
         * @param expected the value it must have
         * @param value    the new value
         */
        public boolean compareAndSet(boolean expected, boolean value) {
            SharedDataBackend r = remote();
            return r != null ? r.compareAndSetInt(0, expected ? 1 : 0, value ? 1 : 0)
                    : INT.compareAndSet(memory(), 0L, expected ? 1 : 0, value ? 1 : 0);
        }

        @Override
        public Object getValue() {
            return get();
        }

        @Override
        public void setValue(Object value) {
            if (!(value instanceof Boolean b)) {
                throw misfit(value, "boolean");
            }
            set(b);
        }
    }
}
