package org.multiprocessing4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Array;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.RawArray;
import org.multiprocessing4j.RawValue;
import org.multiprocessing4j.SharedDataChecks;
import org.multiprocessing4j.Value;
import org.multiprocessing4j.spi.NativePrimitives;
import org.multiprocessing4j.spi.SharedDataBackend;

/**
 * Values and arrays whose bytes a transport keeps ({@link NativePrimitives#sharedData}): every
 * access goes to the backend, with the same results as in shared memory, and they travel as
 * the backend.
 */
@DisplayName("Value and Array on a transport's backend")
class TransportDataTest {

    /** Bytes in a map of this JVM, little-endian as the SPI says; counts the accesses. */
    record MapData(String id) implements SharedDataBackend {
        static final Map<String, ByteBuffer> BYTES = new ConcurrentHashMap<>();
        static final AtomicInteger ACCESSES = new AtomicInteger();

        static MapData create(long size) {
            MapData d = new MapData(java.util.UUID.randomUUID().toString());
            BYTES.put(d.id, ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN));
            return d;
        }

        private ByteBuffer b() {
            ACCESSES.incrementAndGet();
            return BYTES.get(id);
        }

        @Override
        public synchronized int getInt(long offset) {
            return b().getInt((int) offset);
        }

        @Override
        public synchronized void setInt(long offset, int value) {
            b().putInt((int) offset, value);
        }

        @Override
        public synchronized int getAndSetInt(long offset, int value) {
            int before = getInt(offset);
            setInt(offset, value);
            return before;
        }

        @Override
        public synchronized int getAndAddInt(long offset, int delta) {
            return getAndSetInt(offset, getInt(offset) + delta);
        }

        @Override
        public synchronized boolean compareAndSetInt(long offset, int expected, int value) {
            if (getInt(offset) != expected) {
                return false;
            }
            setInt(offset, value);
            return true;
        }

        @Override
        public synchronized long getLong(long offset) {
            return b().getLong((int) offset);
        }

        @Override
        public synchronized void setLong(long offset, long value) {
            b().putLong((int) offset, value);
        }

        @Override
        public synchronized long getAndSetLong(long offset, long value) {
            long before = getLong(offset);
            setLong(offset, value);
            return before;
        }

        @Override
        public synchronized long getAndAddLong(long offset, long delta) {
            return getAndSetLong(offset, getLong(offset) + delta);
        }

        @Override
        public synchronized boolean compareAndSetLong(long offset, long expected, long value) {
            if (getLong(offset) != expected) {
                return false;
            }
            setLong(offset, value);
            return true;
        }

        @Override
        public synchronized byte[] read(long offset, int length) {
            byte[] out = new byte[length];
            b().get((int) offset, out);
            return out;
        }

        @Override
        public synchronized void write(long offset, byte[] bytes) {
            b().put((int) offset, bytes);
        }
    }

    private static final NativePrimitives DATA = new NativePrimitives() {
        @Override
        public SharedDataBackend sharedData(long byteSize) {
            return MapData.create(byteSize);
        }
    };

    @Test
    @DisplayName("each type of value gets, sets and updates atomically through the backend")
    void values() throws Exception {
        try (var _ = Primitives.useForTests(DATA)) {
            int before = MapData.ACCESSES.get();
            SharedDataChecks.values();
            Value.OfInt i = Value.ofInt(-7);
            RawValue.OfDouble d = RawValue.ofDouble(-0.0);
            assertEquals(-0.0, d.getAndSet(2.5));
            assertEquals("Value('i', -7)", i.toString());
            assertTrue(MapData.ACCESSES.get() - before > 20, "the accesses did not go to the backend");
            assertThrows(IllegalArgumentException.class, () -> i.setValue(1.5));
        }
    }

    @Test
    @DisplayName("each type of array works element by element and in bulk through the backend")
    void arrays() throws Exception {
        try (var _ = Primitives.useForTests(DATA)) {
            int before = MapData.ACCESSES.get();
            SharedDataChecks.arrays();
            assertTrue(MapData.ACCESSES.get() - before > 20, "the accesses did not go to the backend");
            Array.OfInt ints = Array.ofInts(new int[] {-1, 7, 30});
            assertThrows(IndexOutOfBoundsException.class, () -> ints.get(3));
            assertEquals("Array('i', [-1, 7, 30])", ints.toString());
        }
    }

    @Test
    @DisplayName("a value travels as its backend: the decoded copy is equal and sees the same bytes")
    void travelsAsTheBackend() throws Exception {
        try (var _ = Primitives.useForTests(DATA)) {
            Codec codec = Multiprocessing.getContext().codec();
            Value.OfLong v = Value.ofLong(41);
            RawArray.OfInt a = RawArray.ofInts(3);
            @SuppressWarnings("unchecked")
            List<Object> back = (List<Object>) codec.decode(codec.encode(List.of(v, a)));
            Value.OfLong v2 = (Value.OfLong) back.get(0);
            RawArray.OfInt a2 = (RawArray.OfInt) back.get(1);
            assertNotSame(v, v2);
            assertEquals(v, v2);
            assertEquals(v.hashCode(), v2.hashCode());
            v2.getAndAdd(1);
            a2.set(2, 5);
            assertEquals(42, v.get());
            assertEquals(5, a.get(2));
            assertEquals(3, a2.length());
        }
    }
}
