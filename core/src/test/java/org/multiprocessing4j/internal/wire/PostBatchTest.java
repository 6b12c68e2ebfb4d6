package org.multiprocessing4j.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.wire.proto.Call;
import org.multiprocessing4j.internal.wire.proto.Envelope;

class PostBatchTest {

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    @DisplayName("a batch's bytes are the envelope protobuf's builders would make, payloads in order")
    void encodesAsTheBuildersWould() throws Exception {
        PostBatch batch = new PostBatch("", "1:2", 300, 7, 1, 42, bytes("a"), PostBatch.MAX_BATCH_BYTES);
        assertTrue(batch.add("", "1:2", 7, 1, 42, bytes("")));
        assertTrue(batch.add("", "1:2", 7, 1, 42, bytes("ccc")));
        Envelope expected = Envelope.newBuilder().setFrom("1:2")
                .setCall(Call.newBuilder().setId(300).setObject(7).setOp(1).setThread(42).setOneway(true)
                        .setPayload(bytes("a")).addAllMorePayloads(List.of(bytes(""), bytes("ccc"))))
                .build();
        assertEquals(expected, FrameReader.parse(batch.seal()));
        assertEquals(3, batch.count());
        assertEquals(4, batch.payloadBytes());
    }

    @Test
    @DisplayName("a lone post, also with an empty payload and zero fields, reads back as one call")
    void lonePost() throws Exception {
        PostBatch batch = new PostBatch("1", "", 0, 0, 0, 0, ByteString.EMPTY, 1024);
        Envelope expected = Envelope.newBuilder().setTo("1").setCall(Call.newBuilder().setOneway(true)).build();
        assertEquals(expected, FrameReader.parse(batch.seal()));
    }

    @Test
    @DisplayName("another object, op, thread or address, or a sealed batch, refuses a post")
    void refusesOtherRoutes() {
        PostBatch batch = new PostBatch("", "1", 1, 7, 1, 42, bytes("a"), 1024);
        assertFalse(batch.add("", "1", 8, 1, 42, bytes("b")));
        assertFalse(batch.add("", "1", 7, 2, 42, bytes("b")));
        assertFalse(batch.add("", "1", 7, 1, 43, bytes("b")));
        assertFalse(batch.add("2", "1", 7, 1, 42, bytes("b")));
        assertFalse(batch.add("", "2", 7, 1, 42, bytes("b")));
        batch.seal();
        assertFalse(batch.add("", "1", 7, 1, 42, bytes("b")));
        assertEquals(1, batch.count());
    }

    @Test
    @DisplayName("a batch stays within its limit, but always takes its first payload")
    void staysWithinItsLimit() {
        PostBatch batch = new PostBatch("", "1", 1, 7, 1, 42, bytes("x".repeat(100)), 1024);
        int added = 0;
        while (batch.add("", "1", 7, 1, 42, bytes("y".repeat(100)))) {
            added++;
        }
        assertTrue(added >= 7 && added <= 9, "added " + added);
        assertTrue(batch.seal().length <= 1024, "a batch of " + batch.seal().length + " bytes");
        PostBatch alone = new PostBatch("", "1", 1, 7, 1, 42, bytes("z".repeat(2000)), 1024);
        assertFalse(alone.add("", "1", 7, 1, 42, bytes("z")));
        assertEquals(1, alone.count());
    }

    @Test
    @DisplayName("the limit for a reader is its own, capped, and the smallest allowed when unknown")
    void limits() {
        assertEquals(WireConstants.MIN_MAX_FRAME_SIZE, PostBatch.limitFor(0));
        assertEquals(4096, PostBatch.limitFor(4096));
        assertEquals(PostBatch.MAX_BATCH_BYTES, PostBatch.limitFor(WireConstants.DEFAULT_MAX_FRAME_SIZE));
    }
}
