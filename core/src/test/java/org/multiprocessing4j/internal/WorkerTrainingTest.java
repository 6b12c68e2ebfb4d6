package org.multiprocessing4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.DefaultCodec;
import org.multiprocessing4j.internal.pool.ChunkWire;
import org.multiprocessing4j.internal.pool.WorkerLoop;

/**
 * The AOT cache's training of a worker's path ({@link WorkerLoop#train}) runs the path a real
 * task takes, to a successful answer: a training whose tasks all failed would record the
 * failure path's profiles instead.
 */
class WorkerTrainingTest {
    @Test
    void everyTrainingTaskIsAnsweredWithItsFunctionsResults() throws Exception {
        Codec codec = new DefaultCodec();
        NativePrimitivesTest.FakeQueue results = new NativePrimitivesTest.FakeQueue(new LinkedBlockingQueue<>(),
                new AtomicInteger());
        WorkerLoop.train(9, codec, results);
        List<byte[]> posted = List.copyOf(results.items());

        // Messages 0 to 2 hold one task of one value each, 3 to 8 eight tasks of 64 values;
        // message m runs function m % 3.
        assertEquals(3 + 6 * 8, posted.size());
        long chunk = 0;
        int answer = 0;
        for (int m = 0; m < 9; m++) {
            int tasks = m < 3 ? 1 : 8;
            int values = tasks == 1 ? 1 : 64;
            for (int t = 0; t < tasks; t++) {
                byte[] done = assertInstanceOf(byte[].class, codec.decode(posted.get(answer++)));
                ChunkWire.Done d = ChunkWire.parseDone(done, codec);
                assertNotNull(d);
                assertNull(d.failure(), () -> "chunk " + d.chunkId() + " failed: " + d.failure());
                assertEquals(++chunk, d.chunkId());
                byte[] encoded = d.values();
                assertNotNull(encoded);
                List<?> got = ChunkWire.decodeValues(encoded, codec);
                assertEquals(values, got.size());
                for (int v = 0; v < values; v++) {
                    Object expected = switch (m % 3) {
                        case 0 -> (m + v) * (m + v);
                        case 1 -> (long) (m + v) + 1;
                        default -> ("item " + v).length();
                    };
                    assertEquals(expected, got.get(v), "message " + m + ", task " + t + ", value " + v);
                }
            }
        }
    }
}
