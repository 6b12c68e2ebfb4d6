package org.multiprocessing4j;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.SharedDataBackend;

/**
 * A fixed-length array in shared memory, without a lock: Python's
 * {@code multiprocessing.RawArray} (and {@code Array(..., lock=False)}). {@link Array} is the
 * same with a lock.
 *
 * <p>One class per element type: {@link OfInt} ({@code 'i'}), {@link OfLong} ({@code 'l'},
 * {@code 'q'}), {@link OfDouble} ({@code 'd'}, {@code 'f'} kept as double) and {@link OfBytes}
 * ({@code 'b'}, {@code 'B'} read as signed Java bytes, {@code 'c'}). Made by length (all zeros)
 * or from contents, like Python's {@code RawArray(typecode, size_or_initializer)}.
 *
 * <p>{@code get} and {@code set} of one element are acquire reads and release writes: an
 * element is never torn, and what a process wrote before a {@code set} is visible to the process
 * that reads that element afterwards. Int and long arrays have atomic read-modify-write
 * helpers ({@code getAndAdd}, {@code compareAndSet}), atomic across processes. The bulk copies
 * ({@code toArray}, {@code copyFrom}) are plain copies: guard them with a lock when others write
 * meanwhile. A bad index fails with {@link IndexOutOfBoundsException} naming index and length.
 *
 * <p>Memory and passing on are as for {@link RawValue}.
 *
 * @since 0.1
 */
public abstract sealed class RawArray extends SharedData
        permits RawArray.OfInt, RawArray.OfLong, RawArray.OfDouble, RawArray.OfBytes {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient int length;
    /** How a transport's backend holds the elements: little-endian ({@link SharedDataBackend}). */
    static final ValueLayout.OfInt INTS = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONGS = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble DOUBLES =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    RawArray(SharedKind kind, Place block, @Nullable LockSupport lock) {
        super(kind, block, lock);
        this.length = Math.toIntExact(block.size() / kind.bytes());
    }

    /**
     * {@return a new int array of zeros}
     *
     * @param length the number of elements, positive
     * @throws IllegalArgumentException if {@code length} is not positive
     */
    public static OfInt ofInts(int length) {
        return new OfInt(block(SharedKind.INT, length), null);
    }

    /**
     * {@return a new int array with a copy of them}
     *
     * @param contents the elements, at least one
     */
    public static OfInt ofInts(int[] contents) {
        OfInt a = ofInts(contents.length);
        a.copyFrom(contents);
        return a;
    }

    /**
     * {@return a new long array of zeros}
     *
     * @param length the number of elements, positive
     */
    public static OfLong ofLongs(int length) {
        return new OfLong(block(SharedKind.LONG, length), null);
    }

    /**
     * {@return a new long array with a copy of them}
     *
     * @param contents the elements, at least one
     */
    public static OfLong ofLongs(long[] contents) {
        OfLong a = ofLongs(contents.length);
        a.copyFrom(contents);
        return a;
    }

    /**
     * {@return a new double array of zeros}
     *
     * @param length the number of elements, positive
     */
    public static OfDouble ofDoubles(int length) {
        return new OfDouble(block(SharedKind.DOUBLE, length), null);
    }

    /**
     * {@return a new double array with a copy of them}
     *
     * @param contents the elements, at least one
     */
    public static OfDouble ofDoubles(double[] contents) {
        OfDouble a = ofDoubles(contents.length);
        a.copyFrom(contents);
        return a;
    }

    /**
     * {@return a new byte array of zeros}
     *
     * @param length the number of elements, positive
     */
    public static OfBytes ofBytes(int length) {
        return new OfBytes(block(SharedKind.BYTE, length), null);
    }

    /**
     * {@return a new byte array with a copy of them}
     *
     * @param contents the elements, at least one
     */
    public static OfBytes ofBytes(byte[] contents) {
        OfBytes a = ofBytes(contents.length);
        a.copyFrom(contents);
        return a;
    }

    /**
     * Python's {@code RawArray(typecode, size)}.
     *
     * @param typeCode a type code of the class comment
     * @param length   the number of elements, positive
     * @return a new array of zeros of the class the code maps to
     * @throws IllegalArgumentException if the code is unknown or the length not positive
     */
    public static RawArray of(char typeCode, int length) {
        SharedKind kind = SharedKind.forArray(typeCode);
        return wrap(kind, block(kind, length), null);
    }

    /**
     * Python's {@code RawArray(typecode, initializer)}.
     *
     * @param typeCode a type code of the class comment
     * @param contents an {@code int[]}, {@code long[]}, {@code double[]} or {@code byte[]}, as
     *                 the code says
     * @return a new array with a copy of the contents
     * @throws IllegalArgumentException if the code is unknown, or the contents are not an
     *                                  array of its type with at least one element
     */
    public static RawArray of(char typeCode, Object contents) {
        SharedKind kind = SharedKind.forArray(typeCode);
        RawArray a = wrap(kind, block(kind, lengthOf(kind, contents)), null);
        a.copyFromArray(contents);
        return a;
    }

    static int lengthOf(SharedKind kind, Object contents) {
        return switch (contents) {
            case int[] a when kind == SharedKind.INT -> a.length;
            case long[] a when kind == SharedKind.LONG -> a.length;
            case double[] a when kind == SharedKind.DOUBLE -> a.length;
            case byte[] a when kind == SharedKind.BYTE -> a.length;
            default -> throw new IllegalArgumentException("an Array of type code '" + kind.typeCode()
                    + "' is made from a " + kind.name().toLowerCase(java.util.Locale.ROOT) + "[], not from a "
                    + contents.getClass().getTypeName());
        };
    }

    static Place block(SharedKind kind, int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("a shared array needs at least one element, not " + length);
        }
        return Place.allocate((long) length * kind.bytes());
    }

    /** An object of the right class over an existing block: raw when {@code lock} is null. */
    static RawArray wrap(SharedKind kind, Place block, @Nullable LockSupport lock) {
        return switch (kind) {
            case INT -> lock == null ? new OfInt(block, null) : new Array.OfInt(block, lock);
            case LONG -> lock == null ? new OfLong(block, null) : new Array.OfLong(block, lock);
            case DOUBLE -> lock == null ? new OfDouble(block, null) : new Array.OfDouble(block, lock);
            case BYTE -> lock == null ? new OfBytes(block, null) : new Array.OfBytes(block, lock);
            case BOOLEAN -> throw new IllegalArgumentException("no Array of booleans");
        };
    }

    /** {@return the number of elements (Python's {@code len})} */
    public final int length() {
        return length;
    }

    /** Copies a Java array of the right type in, as {@code copyFrom} of the class. */
    abstract void copyFromArray(Object contents);

    /** {@return the elements, for toString} */
    abstract String contents();

    /** {@return the offset of element {@code index}, after checking it} */
    final long offsetOf(int index) {
        Objects.checkIndex(index, length);
        return (long) index * kind().bytes();
    }

    /** Checks the length of the contents of a {@code copyFrom}. */
    final void checkCopyLength(int contentsLength) {
        if (contentsLength != length) {
            throw new IllegalArgumentException("cannot copy " + contentsLength + " elements into a shared array of length "
                    + length + ": the lengths must be equal");
        }
    }

    @Override
    public String toString() {
        return className("Array") + "('" + typeCode() + "', " + contents() + ")";
    }

    /** An {@code int[]} in shared memory. */
    public static sealed class OfInt extends RawArray permits Array.OfInt {
        @Serial
        private static final long serialVersionUID = 1L;
        private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

        OfInt(Place block, @Nullable LockSupport lock) {
            super(SharedKind.INT, block, lock);
        }

        /**
         * {@return the element (an acquire read)}
         *
         * @param index the element's index
         */
        public int get(int index) {
            SharedDataBackend r = remote();
            return r != null ? r.getInt(offsetOf(index)) : (int) INT.getAcquire(memory(), offsetOf(index));
        }

        /**
         * Sets one element.
         *
         * @param index the element's index
         * @param value its new value (a release write)
         */
        public void set(int index, int value) {
            SharedDataBackend r = remote();
            if (r != null) {
                r.setInt(offsetOf(index), value);
                return;
            }
            INT.setRelease(memory(), offsetOf(index), value);
        }

        /**
         * {@return the element before the addition, atomically}
         *
         * @param index the element's index
         * @param delta what to add
         */
        public int getAndAdd(int index, int delta) {
            SharedDataBackend r = remote();
            return r != null ? r.getAndAddInt(offsetOf(index), delta) : (int) INT.getAndAdd(memory(), offsetOf(index), delta);
        }

        /**
         * {@return the element after the addition, atomically}
         *
         * @param index the element's index
         * @param delta what to add
         */
        public int addAndGet(int index, int delta) {
            return getAndAdd(index, delta) + delta;
        }

        /**
         * {@return whether it had {@code expected} and now has {@code value}, atomically}
         *
         * @param index    the element's index
         * @param expected the value it must have
         * @param value    its new value
         */
        public boolean compareAndSet(int index, int expected, int value) {
            SharedDataBackend r = remote();
            return r != null ? r.compareAndSetInt(offsetOf(index), expected, value)
                    : INT.compareAndSet(memory(), offsetOf(index), expected, value);
        }

        /** {@return a copy of the elements} */
        public int[] toArray() {
            SharedDataBackend r = remote();
            return r != null ? MemorySegment.ofArray(r.read(0, (int) byteSize())).toArray(INTS) : memory().toArray(ValueLayout.JAVA_INT);
        }

        /**
         * Sets every element, one by one (not atomically as a whole).
         *
         * @param contents new values of all elements (Python's {@code a[:] = contents})
         * @throws IllegalArgumentException if its length is not {@link #length()}
         */
        public void copyFrom(int[] contents) {
            checkCopyLength(contents.length);
            SharedDataBackend r = remote();
            if (r != null) {
                byte[] bytes = new byte[(int) byteSize()];
                MemorySegment.copy(contents, 0, MemorySegment.ofArray(bytes), INTS, 0, contents.length);
                r.write(0, bytes);
                return;
            }
            MemorySegment.copy(contents, 0, memory(), ValueLayout.JAVA_INT, 0, contents.length);
        }

        @Override
        void copyFromArray(Object contents) {
            copyFrom((int[]) contents);
        }

        @Override
        String contents() {
            return Arrays.toString(toArray());
        }
    }

    /** A {@code long[]} in shared memory. */
    public static sealed class OfLong extends RawArray permits Array.OfLong {
        @Serial
        private static final long serialVersionUID = 1L;
        private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

        OfLong(Place block, @Nullable LockSupport lock) {
            super(SharedKind.LONG, block, lock);
        }

        /**
         * {@return the element (an acquire read)}
         *
         * @param index the element's index
         */
        public long get(int index) {
            SharedDataBackend r = remote();
            return r != null ? r.getLong(offsetOf(index)) : (long) LONG.getAcquire(memory(), offsetOf(index));
        }

        /**
         * Sets one element.
         *
         * @param index the element's index
         * @param value its new value (a release write)
         */
        public void set(int index, long value) {
            SharedDataBackend r = remote();
            if (r != null) {
                r.setLong(offsetOf(index), value);
                return;
            }
            LONG.setRelease(memory(), offsetOf(index), value);
        }

        /**
         * {@return the element before the addition, atomically}
         *
         * @param index the element's index
         * @param delta what to add
         */
        public long getAndAdd(int index, long delta) {
            SharedDataBackend r = remote();
            return r != null ? r.getAndAddLong(offsetOf(index), delta)
                    : (long) LONG.getAndAdd(memory(), offsetOf(index), delta);
        }

        /**
         * {@return the element after the addition, atomically}
         *
         * @param index the element's index
         * @param delta what to add
         */
        public long addAndGet(int index, long delta) {
            return getAndAdd(index, delta) + delta;
        }

        /**
         * {@return whether it had {@code expected} and now has {@code value}, atomically}
         *
         * @param index    the element's index
         * @param expected the value it must have
         * @param value    its new value
         */
        public boolean compareAndSet(int index, long expected, long value) {
            SharedDataBackend r = remote();
            return r != null ? r.compareAndSetLong(offsetOf(index), expected, value)
                    : LONG.compareAndSet(memory(), offsetOf(index), expected, value);
        }

        /** {@return a copy of the elements} */
        public long[] toArray() {
            SharedDataBackend r = remote();
            return r != null ? MemorySegment.ofArray(r.read(0, (int) byteSize())).toArray(LONGS)
                    : memory().toArray(ValueLayout.JAVA_LONG);
        }

        /**
         * Sets every element, one by one (not atomically as a whole).
         *
         * @param contents new values of all elements
         * @throws IllegalArgumentException if its length is not {@link #length()}
         */
        public void copyFrom(long[] contents) {
            checkCopyLength(contents.length);
            SharedDataBackend r = remote();
            if (r != null) {
                byte[] bytes = new byte[(int) byteSize()];
                MemorySegment.copy(contents, 0, MemorySegment.ofArray(bytes), LONGS, 0, contents.length);
                r.write(0, bytes);
                return;
            }
            MemorySegment.copy(contents, 0, memory(), ValueLayout.JAVA_LONG, 0, contents.length);
        }

        @Override
        void copyFromArray(Object contents) {
            copyFrom((long[]) contents);
        }

        @Override
        String contents() {
            return Arrays.toString(toArray());
        }
    }

    /** A {@code double[]} in shared memory. */
    public static sealed class OfDouble extends RawArray permits Array.OfDouble {
        @Serial
        private static final long serialVersionUID = 1L;
        private static final VarHandle DOUBLE = ValueLayout.JAVA_DOUBLE.varHandle();

        OfDouble(Place block, @Nullable LockSupport lock) {
            super(SharedKind.DOUBLE, block, lock);
        }

        /**
         * {@return the element (an acquire read)}
         *
         * @param index the element's index
         */
        public double get(int index) {
            SharedDataBackend r = remote();
            return r != null ? Double.longBitsToDouble(r.getLong(offsetOf(index)))
                    : (double) DOUBLE.getAcquire(memory(), offsetOf(index));
        }

        /**
         * Sets one element.
         *
         * @param index the element's index
         * @param value its new value (a release write)
         */
        public void set(int index, double value) {
            SharedDataBackend r = remote();
            if (r != null) {
                r.setLong(offsetOf(index), Double.doubleToRawLongBits(value));
                return;
            }
            DOUBLE.setRelease(memory(), offsetOf(index), value);
        }

        /**
         * {@return whether it had {@code expected} and now has {@code value}, atomically}
         *
         * @param index    the element's index
         * @param expected the value it must have (compared bit for bit)
         * @param value    its new value
         */
        public boolean compareAndSet(int index, double expected, double value) {
            SharedDataBackend r = remote();
            return r != null ? r.compareAndSetLong(offsetOf(index), Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(value)) : DOUBLE.compareAndSet(memory(), offsetOf(index), expected, value);
        }

        /** {@return a copy of the elements} */
        public double[] toArray() {
            SharedDataBackend r = remote();
            return r != null ? MemorySegment.ofArray(r.read(0, (int) byteSize())).toArray(DOUBLES)
                    : memory().toArray(ValueLayout.JAVA_DOUBLE);
        }

        /**
         * Sets every element, one by one (not atomically as a whole).
         *
         * @param contents new values of all elements
         * @throws IllegalArgumentException if its length is not {@link #length()}
         */
        public void copyFrom(double[] contents) {
            checkCopyLength(contents.length);
            SharedDataBackend r = remote();
            if (r != null) {
                byte[] bytes = new byte[(int) byteSize()];
                MemorySegment.copy(contents, 0, MemorySegment.ofArray(bytes), DOUBLES, 0, contents.length);
                r.write(0, bytes);
                return;
            }
            MemorySegment.copy(contents, 0, memory(), ValueLayout.JAVA_DOUBLE, 0, contents.length);
        }

        @Override
        void copyFromArray(Object contents) {
            copyFrom((double[]) contents);
        }

        @Override
        String contents() {
            return Arrays.toString(toArray());
        }
    }

    /** A {@code byte[]} in shared memory. */
    public static sealed class OfBytes extends RawArray permits Array.OfBytes {
        @Serial
        private static final long serialVersionUID = 1L;
        private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();

        OfBytes(Place block, @Nullable LockSupport lock) {
            super(SharedKind.BYTE, block, lock);
        }

        /**
         * {@return the element (an acquire read)}
         *
         * @param index the element's index
         */
        public byte get(int index) {
            SharedDataBackend r = remote();
            return r != null ? r.read(offsetOf(index), 1)[0] : (byte) BYTE.getAcquire(memory(), offsetOf(index));
        }

        /**
         * Sets one element.
         *
         * @param index the element's index
         * @param value its new value (a release write)
         */
        public void set(int index, byte value) {
            SharedDataBackend r = remote();
            if (r != null) {
                r.write(offsetOf(index), new byte[] {value});
                return;
            }
            BYTE.setRelease(memory(), offsetOf(index), value);
        }

        /** {@return a copy of the elements (Python's {@code raw})} */
        public byte[] toArray() {
            SharedDataBackend r = remote();
            return r != null ? r.read(0, (int) byteSize()) : memory().toArray(ValueLayout.JAVA_BYTE);
        }

        /**
         * Sets every element, one by one (not atomically as a whole).
         *
         * @param contents new values of all elements
         * @throws IllegalArgumentException if its length is not {@link #length()}
         */
        public void copyFrom(byte[] contents) {
            checkCopyLength(contents.length);
            SharedDataBackend r = remote();
            if (r != null) {
                r.write(0, contents.clone());
                return;
            }
            MemorySegment.copy(contents, 0, memory(), ValueLayout.JAVA_BYTE, 0, contents.length);
        }

        @Override
        void copyFromArray(Object contents) {
            copyFrom((byte[]) contents);
        }

        @Override
        String contents() {
            return Arrays.toString(toArray());
        }
    }
}
