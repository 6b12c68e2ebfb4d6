package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Array;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.RawArray;
import org.multiprocessing4j.RawValue;
import org.multiprocessing4j.Value;

/**
 * {@link Value}, {@link RawValue}, {@link Array} and {@link RawArray} between processes: in
 * core's shared memory, or wherever a transport keeps them
 * ({@code NativePrimitives.sharedData}).
 */
public abstract class SharedDataKit extends TransportKit {
    private static final int ROUNDS = 100;
    /** Long enough to span chunks where a transport keeps arrays in pieces. */
    private static final int LONG_ARRAY = 5_000;

    /** For a transport's test class, which supplies {@link #context()}. */
    protected SharedDataKit() {
    }

    static void addFromChild(Value.OfInt atomic, Value.OfLong locked, RawArray.OfLong slots, Array.OfInt ints,
                             RawValue.OfDouble sum) {
        for (int i = 0; i < ROUNDS; i++) {
            atomic.getAndAdd(1);
            try (var _ = locked.hold()) {
                locked.set(locked.get() + 1);
            }
        }
        sum.getAndAdd(0.25);
        slots.set(1, 77);
        ints.set(LONG_ARRAY - 1, 9);
        ints.set(0, ints.get(0) + (int) slots.get(0));
        System.out.println("child done");
    }

    @Test
    @DisplayName("each type of value and array gets, sets and updates atomically, with Python's semantics")
    void typedOperations() {
        Value.OfInt i = Value.ofInt(5);
        assertEquals(5, i.getAndAdd(3));
        assertTrue(i.compareAndSet(8, 1));
        assertFalse(i.compareAndSet(8, 2));
        assertEquals(1, i.getAndSet(-7));
        RawValue.OfLong l = RawValue.ofLong(Long.MAX_VALUE);
        assertEquals(Long.MIN_VALUE, l.addAndGet(1), "wraps as Java's long addition does");
        Value.OfDouble d = Value.ofDouble(1.5);
        assertEquals(1.5, d.getAndAdd(1.0));
        assertTrue(d.compareAndSet(2.5, -0.0));
        assertFalse(d.compareAndSet(0.0, 1.0), "compared bit for bit: -0.0 is not 0.0");
        Value.OfBoolean b = Value.ofBoolean(false);
        assertTrue(b.compareAndSet(false, true));
        assertTrue(b.get());
        assertEquals("Value('i', -7)", i.toString());

        Array.OfInt ints = Array.ofInts(new int[] {1, 2, 3});
        assertEquals(2, ints.getAndAdd(1, 5));
        assertTrue(ints.compareAndSet(2, 3, 30));
        assertArrayEquals(new int[] {1, 7, 30}, ints.toArray());
        assertThrows(IndexOutOfBoundsException.class, () -> ints.get(3));
        RawArray.OfDouble doubles = RawArray.ofDoubles(2);
        doubles.copyFrom(new double[] {0.5, -2});
        assertTrue(doubles.compareAndSet(1, -2, 3.25));
        assertArrayEquals(new double[] {0.5, 3.25}, doubles.toArray());
        Array.OfBytes bytes = Array.ofBytes("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        bytes.set(0, (byte) 'j');
        assertEquals("jello", new String(bytes.toArray(), java.nio.charset.StandardCharsets.US_ASCII));
        RawArray.OfLong longs = RawArray.ofLongs(LONG_ARRAY);
        long[] contents = new long[LONG_ARRAY];
        for (int k = 0; k < LONG_ARRAY; k++) {
            contents[k] = k * 3L - 1;
        }
        longs.copyFrom(contents);
        assertArrayEquals(contents, longs.toArray());
        assertEquals(contents[LONG_ARRAY - 1], longs.getAndAdd(LONG_ARRAY - 1, 1));
    }

    @Test
    @DisplayName("a child works on the same values and arrays: atomic and locked increments from both sides reach the exact totals, and what each wrote the other reads")
    void sharedWithAChild() throws Exception {
        Value.OfInt atomic = Value.ofInt(0);
        Value.OfLong locked = Value.ofLong(0);
        RawArray.OfLong slots = RawArray.ofLongs(3);
        Array.OfInt ints = Array.ofInts(LONG_ARRAY);
        RawValue.OfDouble sum = RawValue.ofDouble(0.5);
        slots.set(0, 40);
        ints.set(0, 2);
        Process p = start(() -> addFromChild(atomic, locked, slots, ints, sum));
        for (int i = 0; i < ROUNDS; i++) {
            atomic.getAndAdd(1);
            try (var _ = locked.hold()) {
                locked.set(locked.get() + 1);
            }
        }
        awaitOut("child done");
        assertTrue(p.join(PATIENCE));
        assertEquals(0, p.exitCode());
        assertEquals(2 * ROUNDS, atomic.get());
        assertEquals(2 * ROUNDS, locked.get());
        assertEquals(0.75, sum.get());
        assertEquals(77, slots.get(1));
        assertEquals(9, ints.get(LONG_ARRAY - 1));
        assertEquals(42, ints.toArray()[0]);
    }
}
