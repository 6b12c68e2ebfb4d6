package org.multiprocessing4j.internal.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.CodecException;
import org.multiprocessing4j.Multiprocessing;

class ChunkWireTest {
    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void aBatchBringsWhatTheWorkerLacksOnceAndItsChunksNameFunctionsByNumber() {
        Codec codec = Multiprocessing.getContext().codec();
        byte[] f = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] g = {9, 9};
        long[] refs = {5, 5, 6, 5};
        byte[][] arguments = new byte[4][];
        for (int i = 0; i < 4; i++) {
            arguments[i] = ChunkWire.encodeValues(List.of(i, i + 1), codec);
        }
        long[] ids = {40, 41, 42, 43};
        long[] forget = {1, 3};
        byte[] handle = {4, 4, 4};
        byte[] message = ChunkWire.tasks(forget, new long[] {5, 6, 7},
                new ChunkWire.Learned[] {ChunkWire.Learned.inline(f), ChunkWire.Learned.inline(g),
                        ChunkWire.Learned.stored(1 << 20, handle)}, ids, refs, arguments);
        byte[] nothingNew = ChunkWire.tasks(forget, new long[0], new ChunkWire.Learned[0], ids, refs, arguments);
        assertEquals(nothingNew.length + 3 * 12 + f.length + g.length + 8 + handle.length, message.length);
        assertTrue(ChunkWire.isTask(message));
        assertArrayEquals(ids, ChunkWire.taskChunkIds(message));
        ChunkWire.Tasks tasks = ChunkWire.parseTasks(message);
        assertArrayEquals(forget, tasks.forget());
        assertArrayEquals(new long[] {5, 6, 7}, tasks.learnRefs());
        assertArrayEquals(f, bytes(tasks.learnBytes().get(0)));
        assertArrayEquals(g, bytes(tasks.learnBytes().get(1)));
        assertArrayEquals(new int[] {-1, -1, 1 << 20}, tasks.learnStored(), "the third is stored elsewhere");
        assertArrayEquals(handle, bytes(tasks.learnBytes().get(2)));
        List<ChunkWire.TaskParts> parts = tasks.parts();
        assertEquals(4, parts.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(ids[i], parts.get(i).chunkId());
            assertEquals(refs[i], parts.get(i).functionRef());
            assertEquals(List.of(i, i + 1), ChunkWire.decodeValues(parts.get(i).arguments(), codec));
        }
        assertArrayEquals(ids, ChunkWire.taskChunkIds(nothingNew));
        assertFalse(ChunkWire.isTask(ChunkWire.stop()));
    }

    @Test
    void largeArgumentsGoByNumberWhereSharingGivesOne() {
        Codec codec = Multiprocessing.getContext().codec();
        byte[] large = new byte[ChunkWire.SHARED_MIN_BYTES];
        large[0] = 42;
        byte[] encodedLarge = codec.encode(large);
        List<Object> values = List.of("small", large, large);
        byte[] inline = ChunkWire.encodeValues(values, codec);
        ByteBuffer[] kept = new ByteBuffer[1];
        byte[] shared = ChunkWire.encodeValues(values, codec, encoded -> {
            kept[0] = ByteBuffer.wrap(encoded);
            return 77;
        });
        assertEquals(inline.length - 2 * (encodedLarge.length - 8), shared.length, "each large one is 8 bytes now");
        assertArrayEquals(encodedLarge, bytes(kept[0]));
        List<@Nullable Object> decoded = ChunkWire.decodeValues(ByteBuffer.wrap(shared), codec, ref -> {
            assertEquals(77, ref);
            return kept[0];
        });
        assertEquals("small", decoded.get(0));
        assertArrayEquals(large, (byte[]) decoded.get(1));
        assertTrue(decoded.get(1) != decoded.get(2), "each use is decoded afresh");
        byte[] declined = ChunkWire.encodeValues(values, codec, encoded -> -1);
        assertArrayEquals(inline, declined);
        CodecException e = assertThrows(CodecException.class, () -> ChunkWire.decodeValues(shared, codec));
        assertTrue(e.getMessage().contains("shared value #77"), e.getMessage());
    }

    @Test
    void anAnswerCarriesItsRunTime() {
        Codec codec = Multiprocessing.getContext().codec();
        byte[] values = ChunkWire.encodeValues(List.of("a", 7), codec);
        ChunkWire.Done done = ChunkWire.parseDone(ChunkWire.done(3, 99, 12345, true, values), codec);
        assertNotNull(done);
        assertEquals(3, done.worker());
        assertEquals(99, done.chunkId());
        assertEquals(12345, done.runNanos());
        assertArrayEquals(values, done.values());
    }

    @Test
    void intsStayPackedAndComeBackAsAnUnmodifiableList() {
        Codec codec = Multiprocessing.getContext().codec();
        List<Integer> ints = List.of(Integer.MIN_VALUE, -1, 0, 1, 127, 128, Integer.MAX_VALUE);
        byte[] encoded = ChunkWire.encodeValues(ints, codec);
        assertEquals(1 + 4 + 4 * ints.size(), encoded.length, "4 bytes an int");
        List<@Nullable Object> decoded = ChunkWire.decodeValues(encoded, codec);
        assertEquals(ints, decoded);
        assertEquals(ints.hashCode(), decoded.hashCode());
        assertInstanceOf(RandomAccess.class, decoded);
        assertThrows(UnsupportedOperationException.class, () -> decoded.set(0, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> decoded.get(ints.size()));
        assertEquals(List.of(), ChunkWire.decodeValues(ChunkWire.encodeValues(List.of(), codec), codec));
    }

    @Test
    void aListOfIntsLongerThanItsBytesIsRefused() {
        Codec codec = Multiprocessing.getContext().codec();
        byte[] encoded = ChunkWire.encodeValues(List.of(1, 2, 3), codec);
        byte[] cut = java.util.Arrays.copyOf(encoded, encoded.length - 1);
        CodecException e = assertThrows(CodecException.class, () -> ChunkWire.decodeValues(cut, codec));
        assertTrue(e.getMessage().contains("3 ints"), e.getMessage());
    }
}
