package org.multiprocessing4j.spi;

import java.io.Serializable;

/**
 * Where the bytes of a {@code Value} or an {@code Array} live when a transport keeps them
 * itself ({@link NativePrimitives#sharedData}) instead of core's shared memory of one host: a
 * transport whose processes run on several hosts (the {@code hazelcast} transport) keeps them
 * where every host reaches them. It travels with the value or array, so it is a small
 * serializable handle; its methods work in any process of the tree and from any thread.
 *
 * <p>Offsets are in bytes from the start, and aligned to the width of the access (4 for an
 * int, 8 for a long). Each single access and each read-modify-write is atomic with respect to
 * every other access to the same bytes, from any process; {@link #read} and {@link #write}
 * need be atomic only element by element, as core's bulk copies are. A double is stored as its
 * long bits ({@link Double#doubleToRawLongBits}), a boolean as the int 0 or 1. The bytes are
 * little-endian, as core's shared memory is on the machines it supports, so a transport that
 * stores raw bytes and one that stores numbers agree.
 *
 * <p>Errors are the API's: {@link org.multiprocessing4j.ProcessGoneException} when the value is
 * gone (its transport keeps it no longer, for instance because the process that made it
 * ended).
 *
 * @since 0.1
 */
public interface SharedDataBackend extends Serializable {

    /**
     * {@return the int at {@code offset}}
     *
     * @param offset where, in bytes
     */
    int getInt(long offset);

    /**
     * Sets the int at {@code offset}.
     *
     * @param offset where, in bytes
     * @param value  the new value
     */
    void setInt(long offset, int value);

    /**
     * {@return the int at {@code offset} before it was set to {@code value}, atomically}
     *
     * @param offset where, in bytes
     * @param value  the new value
     */
    int getAndSetInt(long offset, int value);

    /**
     * {@return the int at {@code offset} before {@code delta} was added, atomically}
     *
     * @param offset where, in bytes
     * @param delta  what to add (wrapping around, as Java's int addition)
     */
    int getAndAddInt(long offset, int delta);

    /**
     * {@return whether the int at {@code offset} was {@code expected} and is now {@code value}, atomically}
     *
     * @param offset   where, in bytes
     * @param expected what it must be
     * @param value    the new value
     */
    boolean compareAndSetInt(long offset, int expected, int value);

    /**
     * {@return the long at {@code offset}}
     *
     * @param offset where, in bytes
     */
    long getLong(long offset);

    /**
     * Sets the long at {@code offset}.
     *
     * @param offset where, in bytes
     * @param value  the new value
     */
    void setLong(long offset, long value);

    /**
     * {@return the long at {@code offset} before it was set to {@code value}, atomically}
     *
     * @param offset where, in bytes
     * @param value  the new value
     */
    long getAndSetLong(long offset, long value);

    /**
     * {@return the long at {@code offset} before {@code delta} was added, atomically}
     *
     * @param offset where, in bytes
     * @param delta  what to add (wrapping around, as Java's long addition)
     */
    long getAndAddLong(long offset, long delta);

    /**
     * {@return whether the long at {@code offset} was {@code expected} and is now {@code value}, atomically}
     *
     * @param offset   where, in bytes
     * @param expected what it must be
     * @param value    the new value
     */
    boolean compareAndSetLong(long offset, long expected, long value);

    /**
     * {@return {@code length} bytes from {@code offset}}
     *
     * @param offset where, in bytes
     * @param length how many
     */
    byte[] read(long offset, int length);

    /**
     * Writes {@code bytes} at {@code offset}.
     *
     * @param offset where, in bytes
     * @param bytes  what to write
     */
    void write(long offset, byte[] bytes);
}
