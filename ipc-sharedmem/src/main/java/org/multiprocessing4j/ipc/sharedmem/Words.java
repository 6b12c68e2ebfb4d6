package org.multiprocessing4j.ipc.sharedmem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Atomic access to aligned 32- and 64-bit words of a segment, with volatile (sequentially
 * consistent) semantics for every read, write and read-modify-write: the primitives pair a
 * waiter's "I wait" with a waker's "it changed" (Dekker style), which needs full fences on both
 * sides, not just release/acquire. {@link #setLongRelease} is for the words no waiter sleeps on.
 */
final class Words {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private Words() {
    }

    static int getInt(MemorySegment m, long offset) {
        return (int) INT.getVolatile(m, offset);
    }

    static void setInt(MemorySegment m, long offset, int value) {
        INT.setVolatile(m, offset, value);
    }

    static boolean casInt(MemorySegment m, long offset, int expected, int value) {
        return INT.compareAndSet(m, offset, expected, value);
    }

    /** {@return the value before the addition} */
    static int addInt(MemorySegment m, long offset, int delta) {
        return (int) INT.getAndAdd(m, offset, delta);
    }

    static int swapInt(MemorySegment m, long offset, int value) {
        return (int) INT.getAndSet(m, offset, value);
    }

    static long getLong(MemorySegment m, long offset) {
        return (long) LONG.getVolatile(m, offset);
    }

    static void setLong(MemorySegment m, long offset, long value) {
        LONG.setVolatile(m, offset, value);
    }

    /**
     * A release write: ordered after every earlier read and write of this thread, but not before
     * later reads. For words no waiter pairs with (no futex sleeper announces itself on them).
     */
    static void setLongRelease(MemorySegment m, long offset, long value) {
        LONG.setRelease(m, offset, value);
    }

    /** {@return the value before the addition} */
    static long addLong(MemorySegment m, long offset, long delta) {
        return (long) LONG.getAndAdd(m, offset, delta);
    }

    /** A release write of an int, for words no waiter pairs with ({@link #setLongRelease}). */
    static void setIntRelease(MemorySegment m, long offset, int value) {
        INT.setRelease(m, offset, value);
    }

    static boolean casLong(MemorySegment m, long offset, long expected, long value) {
        return LONG.compareAndSet(m, offset, expected, value);
    }
}
