package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Array and RawArray: fixed-length arrays in shared memory")
class SharedArrayTest {
    private ShmFiles shm;

    @BeforeEach
    void snapshot() {
        shm = ShmFiles.snapshot();
    }

    @AfterEach
    void onlyHeapSegmentsStay() {
        shm.assertNothingAddedBut(ShmFiles.ownTreeFiles());
    }

    @Test
    @DisplayName("by length (zeros) or by contents; get, set, toArray, copyFrom for each type")
    void typedArrays() {
        SharedDataChecks.arrays();
    }

    @Test
    @DisplayName("a bad index names index and length; a copy of another length names both; empty arrays are refused")
    void badIndexesAndLengths() {
        Array.OfInt a = Array.ofInts(4);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.get(4));
        assertTrue(e.getMessage().contains("4") && e.getMessage().contains("length 4"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.set(-1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.getAndAdd(9, 1));
        IllegalArgumentException copy = assertThrows(IllegalArgumentException.class, () -> a.copyFrom(new int[3]));
        assertTrue(copy.getMessage().contains("cannot copy 3 elements into a shared array of length 4"), copy.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Array.ofLongs(0));
        assertTrue(empty.getMessage().contains("at least one element, not 0"), empty.getMessage());
    }

    @Test
    @DisplayName("type codes: 'i', 'l'/'q', 'd'/'f', 'b'/'B'/'c'; contents of the wrong type are refused")
    void typeCodes() {
        assertInstanceOf(Array.OfInt.class, Array.of('i', 2));
        assertInstanceOf(Array.OfLong.class, Array.of('l', new long[] {1}));
        assertInstanceOf(Array.OfDouble.class, Array.of('f', 2));
        assertInstanceOf(Array.OfBytes.class, Array.of('c', "ab".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertInstanceOf(RawArray.OfBytes.class, RawArray.of('B', 3));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> Array.of('i', new long[] {1}));
        assertTrue(wrong.getMessage().contains("is made from a int[], not from a long[]"), wrong.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> RawArray.of('u', 1));
        assertTrue(unknown.getMessage().contains("no Array has type code 'u'"), unknown.getMessage());
    }

    @Test
    @DisplayName("processes add to elements atomically, and under the lock, reaching exact totals")
    void acrossProcesses() throws Exception {
        Array.OfLong counts = Array.ofLongs(2);
        Array.OfDouble totals = Array.ofDoubles(1, counts.getLock());
        SharedValueTest.runAll(() -> {
            for (int i = 0; i < 500; i++) {
                counts.getAndAdd(i % 2, 1);
            }
            for (int i = 0; i < 50; i++) {
                try (var _ = totals.hold()) {
                    double[] t = totals.toArray();
                    t[0] += 0.25;
                    totals.copyFrom(t);
                }
            }
        });
        assertArrayEquals(new long[] {750, 750}, counts.toArray());
        assertEquals(3 * 50 * 0.25, totals.get(0));
    }
}
