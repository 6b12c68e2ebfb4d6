package org.multiprocessing4j.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.wire.proto.Call;
import org.multiprocessing4j.internal.wire.proto.Envelope;

class PostCoalescerTest {

    private static Envelope post(long object, long thread, String payload) {
        return Envelope.newBuilder().setTo("").setFrom("1")
                .setCall(Call.newBuilder().setId(payload.hashCode()).setObject(object).setOp(1).setThread(thread)
                        .setOneway(true).setPayload(ByteString.copyFromUtf8(payload)))
                .build();
    }

    private static Envelope call(long object, String payload) {
        return post(object, 1, payload).toBuilder()
                .setCall(post(object, 1, payload).getCall().toBuilder().setOneway(false)).build();
    }

    /** Every payload, in the order the receiver handles them, with the object it goes to. */
    private static List<String> handled(List<Envelope> frames) {
        List<String> seen = new ArrayList<>();
        for (Envelope e : frames) {
            Call c = e.getCall();
            seen.add(c.getObject() + ":" + c.getPayload().toStringUtf8() + (c.getOneway() ? "" : "!"));
            for (ByteString more : c.getMorePayloadsList()) {
                seen.add(c.getObject() + ":" + more.toStringUtf8());
            }
        }
        return seen;
    }

    private static List<Envelope> assertMergedInto(int expectedFrames, List<Envelope> frames) {
        List<Envelope> merged = PostCoalescer.coalesce(frames);
        assertEquals(expectedFrames, merged.size());
        assertEquals(handled(frames), handled(merged));
        return merged;
    }

    @Test
    @DisplayName("consecutive posts of one thread to one object become one frame, in order")
    void mergesRuns() {
        assertMergedInto(1, List.of(post(7, 1, "a"), post(7, 1, "b"), post(7, 1, "c")));
    }

    @Test
    @DisplayName("a call, another object or another thread ends a run; the order of everything is kept")
    void keepsOrderAcrossBreaks() {
        assertMergedInto(5, List.of(post(7, 1, "a"), post(7, 1, "b"), call(7, "c"), post(7, 1, "d"),
                post(8, 1, "e"), post(8, 2, "f"), post(8, 2, "g")));
    }

    @Test
    @DisplayName("a merged frame fits the smallest frame limit, and a post that fills it alone is not merged")
    void boundsFrames() {
        String small = "x".repeat(100);
        String big = "y".repeat(PostCoalescer.MAX_MERGED_BYTES);
        List<Envelope> frames = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            frames.add(post(7, 1, small));
        }
        frames.add(post(7, 1, big));
        frames.add(post(7, 1, "z"));
        List<Envelope> merged = PostCoalescer.coalesce(frames);
        assertEquals(handled(frames), handled(merged));
        assertTrue(merged.size() > 4 && merged.size() < 30, "frames: " + merged.size());
        for (Envelope e : merged) {
            assertTrue(e.getSerializedSize() <= WireConstants.MIN_MAX_FRAME_SIZE
                    || e.getCall().getMorePayloadsCount() == 0, "a merged frame of " + e.getSerializedSize());
        }
    }

    @Test
    @DisplayName("nothing to merge: the same list comes back")
    void nothingToMerge() {
        List<Envelope> frames = List.of(post(7, 1, "a"), call(7, "b"), post(8, 1, "c"));
        assertSame(frames, PostCoalescer.coalesce(frames));
    }
}
