package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every Value and Array must do, wherever its bytes are: in shared memory
 * ({@code SharedValueTest}, {@code SharedArrayTest}) or in a transport's backend
 * ({@code TransportDataTest}).
 */
public final class SharedDataChecks {
    private SharedDataChecks() {
    }

    /** Each type of value gets and sets, and its atomic helpers return what AtomicX would. */
    public static void values() {
        Value.OfInt i = Value.ofInt(5);
        assertEquals(5, i.get());
        assertEquals(5, i.getAndAdd(3));
        assertEquals(10, i.addAndGet(2));
        assertTrue(i.compareAndSet(10, 1));
        assertFalse(i.compareAndSet(10, 2));
        assertEquals(1, i.getAndSet(-7));
        assertEquals(-7, i.get());

        RawValue.OfLong l = RawValue.ofLong(Long.MAX_VALUE - 1);
        assertEquals(Long.MAX_VALUE, l.addAndGet(1));
        l.set(3);
        assertTrue(l.compareAndSet(3, 4));
        assertEquals(4, l.getAndSet(9));

        Value.OfDouble d = Value.ofDouble(1.5);
        assertEquals(1.5, d.getAndAdd(1.0));
        assertEquals(4.0, d.addAndGet(1.5));
        assertTrue(d.compareAndSet(4.0, Double.NaN));
        assertTrue(d.compareAndSet(Double.NaN, -0.0));
        assertFalse(d.compareAndSet(0.0, 1.0), "compared bit for bit: -0.0 is not 0.0");

        RawValue.OfBoolean b = RawValue.ofBoolean(false);
        assertFalse(b.get());
        assertTrue(b.compareAndSet(false, true));
        assertTrue(b.getAndSet(false));
        b.set(true);
        assertTrue(b.get());
    }

    /** Each type of array, by length or contents: get, set, toArray, copyFrom, the atomic helpers. */
    public static void arrays() {
        Array.OfInt ints = Array.ofInts(3);
        assertArrayEquals(new int[3], ints.toArray());
        ints.set(1, 42);
        assertEquals(42, ints.get(1));
        ints.copyFrom(new int[] {7, 8, 9});
        assertArrayEquals(new int[] {7, 8, 9}, ints.toArray());
        assertEquals(8, ints.getAndAdd(1, 2));
        assertEquals(12, ints.addAndGet(1, 2));
        assertTrue(ints.compareAndSet(2, 9, -1));
        assertFalse(ints.compareAndSet(2, 9, -2));

        RawArray.OfLong longs = RawArray.ofLongs(new long[] {1, 2});
        assertEquals(2, longs.length());
        assertEquals(3, longs.addAndGet(1, 1));
        assertTrue(longs.compareAndSet(0, 1, 5));
        assertArrayEquals(new long[] {5, 3}, longs.toArray());

        Array.OfDouble doubles = Array.ofDoubles(new double[] {0.5, 1.5});
        doubles.set(0, 2.5);
        assertTrue(doubles.compareAndSet(1, 1.5, 3.5));
        assertArrayEquals(new double[] {2.5, 3.5}, doubles.toArray());

        RawArray.OfBytes bytes = RawArray.ofBytes("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        bytes.set(0, (byte) 'j');
        assertEquals("jello", new String(bytes.toArray(), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("RawArray('b', [106, 101, 108, 108, 111])", bytes.toString());
    }
}
