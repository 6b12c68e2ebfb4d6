package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class KnownFunctionsTest {
    private static final ChunkSink NOWHERE = new ChunkSink() {
        @Override
        public void succeeded(List<Object> values) {
        }

        @Override
        public void failed(String message, Throwable cause) {
        }
    };

    private static Chunk chunk(long ref, byte[] function) {
        return new Chunk(ref * 100, function, ref, new byte[0], NOWHERE, new Chunk.Label("apply", "t", -1), 1);
    }

    @Test
    void aFunctionGoesOnceAndOnlyAfterItsMessageWasSent() {
        KnownFunctions known = new KnownFunctions();
        byte[] f = {1, 2, 3};
        List<Chunk> message = List.of(chunk(1, f), chunk(1, f));
        KnownFunctions.Plan plan = known.plan(message);
        assertSame(f, plan.functions()[0]);
        assertNull(plan.functions()[1], "the second chunk of the message names it only");
        assertEquals(0, known.size(), "nothing changes before the commit (a message that cannot go)");
        assertSame(f, known.plan(message).functions()[0]);
        known.commit(message, plan);
        KnownFunctions.Plan next = known.plan(List.of(chunk(1, f)));
        assertNull(next.functions()[0]);
        assertArrayEquals(new long[0], next.forget());
        known.clear();
        assertSame(f, known.plan(List.of(chunk(1, f))).functions()[0], "a new worker has nothing");
    }

    @Test
    void pastTheBoundTheLeastRecentlyUsedIsForgottenButNeverOneTheMessageUses() {
        KnownFunctions known = new KnownFunctions();
        for (long ref = 0; ref < KnownFunctions.MAX_ENTRIES; ref++) {
            List<Chunk> m = List.of(chunk(ref, new byte[] {(byte) ref}));
            known.commit(m, known.plan(m));
        }
        List<Chunk> touch = List.of(chunk(0, new byte[] {0}));
        known.commit(touch, known.plan(touch)); // 0 is now the most recent
        List<Chunk> more = List.of(chunk(1000, new byte[] {9}), chunk(1, new byte[] {1}));
        KnownFunctions.Plan plan = known.plan(more);
        assertArrayEquals(new long[] {2}, plan.forget(), "1 is used by the message, 0 was touched");
        known.commit(more, plan);
        assertEquals(KnownFunctions.MAX_ENTRIES, known.size());

        KnownFunctions bytes = new KnownFunctions();
        byte[] half = new byte[(int) (KnownFunctions.MAX_BYTES / 2) + 1];
        List<Chunk> a = List.of(chunk(1, half));
        bytes.commit(a, bytes.plan(a));
        List<Chunk> b = List.of(chunk(2, half));
        KnownFunctions.Plan second = bytes.plan(b);
        assertArrayEquals(new long[] {1}, second.forget(), "two halves and a byte are over the bound");
    }
}
