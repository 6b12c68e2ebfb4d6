package org.multiprocessing4j.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian reads and writes of fixed-width values at an index of a byte array, without
 * allocating. Callers check the bounds first.
 *
 * @since 0.1
 */
public final class BigEndian {
    private static final VarHandle SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private BigEndian() {}

    /**
     * Reads a 2-byte value.
     *
     * @param bytes the array
     * @param index where the value starts
     * @return the 2 bytes at {@code index}
     */
    public static short getShort(byte[] bytes, int index) {
        return (short) SHORT.get(bytes, index);
    }

    /**
     * Reads a 4-byte value.
     *
     * @param bytes the array
     * @param index where the value starts
     * @return the 4 bytes at {@code index}
     */
    public static int getInt(byte[] bytes, int index) {
        return (int) INT.get(bytes, index);
    }

    /**
     * Reads an 8-byte value.
     *
     * @param bytes the array
     * @param index where the value starts
     * @return the 8 bytes at {@code index}
     */
    public static long getLong(byte[] bytes, int index) {
        return (long) LONG.get(bytes, index);
    }

    /**
     * Returns a new array of a tag followed by a 2-byte value.
     *
     * @param tag   the first byte
     * @param value the value
     * @return 3 bytes
     */
    public static byte[] tagged(byte tag, short value) {
        byte[] out = new byte[1 + Short.BYTES];
        out[0] = tag;
        SHORT.set(out, 1, value);
        return out;
    }

    /**
     * Returns a new array of a tag followed by a 4-byte value.
     *
     * @param tag   the first byte
     * @param value the value
     * @return 5 bytes
     */
    public static byte[] tagged(byte tag, int value) {
        byte[] out = new byte[1 + Integer.BYTES];
        out[0] = tag;
        INT.set(out, 1, value);
        return out;
    }

    /**
     * Returns a new array of a tag followed by an 8-byte value.
     *
     * @param tag   the first byte
     * @param value the value
     * @return 9 bytes
     */
    public static byte[] tagged(byte tag, long value) {
        byte[] out = new byte[1 + Long.BYTES];
        out[0] = tag;
        LONG.set(out, 1, value);
        return out;
    }

    /**
     * Writes a 2-byte value.
     *
     * @param bytes the array
     * @param index where the value starts
     * @param value the value
     */
    public static void putShort(byte[] bytes, int index, short value) {
        SHORT.set(bytes, index, value);
    }
}
