package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool's mirror of a worker's cache of functions and shared arguments. */
class WorkerCacheTest {
    private static final ChunkSink NOWHERE = new ChunkSink() {
        @Override
        public void succeeded(List<Object> values) {
        }

        @Override
        public void failed(String message, Throwable cause) {
        }
    };

    private static Chunk chunk(long ref, byte[] function, Chunk.Shared... shared) {
        return new Chunk(ref * 100, function, ref, new byte[0], List.of(shared), NOWHERE,
                new Chunk.Label("apply", "t", -1), 1);
    }

    @Test
    void aFunctionOrArgumentGoesOnceAndOnlyAfterItsMessageWasSent() {
        WorkerCache cache = new WorkerCache();
        byte[] f = {1, 2, 3};
        Chunk.Shared big = new Chunk.Shared(7, new byte[] {4, 5});
        List<Chunk> message = List.of(chunk(1, f, big), chunk(1, f, big));
        WorkerCache.Plan plan = cache.plan(message);
        assertArrayEquals(new long[] {1, 7}, plan.learnRefs(), "each once, though two chunks use them");
        assertSame(f, plan.learnBytes()[0]);
        assertSame(big.bytes(), plan.learnBytes()[1]);
        assertEquals(0, cache.size(), "nothing changes before the commit (a message that cannot go)");
        assertArrayEquals(new long[] {1, 7}, cache.plan(message).learnRefs());
        cache.commit(message, plan);
        WorkerCache.Plan next = cache.plan(List.of(chunk(1, f, big)));
        assertArrayEquals(new long[0], next.learnRefs());
        assertArrayEquals(new long[0], next.forget());
        WorkerCache.Plan other = cache.plan(List.of(chunk(2, f, big)));
        assertArrayEquals(new long[] {2}, other.learnRefs(), "only what the worker lacks");
        cache.clear();
        assertArrayEquals(new long[] {1, 7}, cache.plan(message).learnRefs(), "a new worker has nothing");
    }

    @Test
    void pastTheBoundTheLeastRecentlyUsedIsForgottenButNeverOneTheMessageUses() {
        WorkerCache cache = new WorkerCache();
        for (long ref = 0; ref < WorkerCache.MAX_ENTRIES; ref++) {
            List<Chunk> m = List.of(chunk(ref, new byte[] {(byte) ref}));
            cache.commit(m, cache.plan(m));
        }
        List<Chunk> touch = List.of(chunk(0, new byte[] {0}));
        cache.commit(touch, cache.plan(touch)); // 0 is now the most recent
        List<Chunk> more = List.of(chunk(1000, new byte[] {9}), chunk(1, new byte[] {1}));
        WorkerCache.Plan plan = cache.plan(more);
        assertArrayEquals(new long[] {2}, plan.forget(), "1 is used by the message, 0 was touched");
        cache.commit(more, plan);
        assertEquals(WorkerCache.MAX_ENTRIES, cache.size());

        WorkerCache bytes = new WorkerCache();
        byte[] half = new byte[(int) (WorkerCache.MAX_BYTES / 2) + 1];
        List<Chunk> a = List.of(chunk(1, new byte[1], new Chunk.Shared(2, half)));
        bytes.commit(a, bytes.plan(a));
        List<Chunk> b = List.of(chunk(1, new byte[1], new Chunk.Shared(3, half)));
        WorkerCache.Plan second = bytes.plan(b);
        assertArrayEquals(new long[] {2}, second.forget(), "two halves and a byte are over the bound; 1 is used");
    }

    @Test
    void aMessageTakenBackIsUndoneAndWhatItWasToForgetIsForgottenNext() {
        WorkerCache cache = new WorkerCache();
        for (long ref = 0; ref < WorkerCache.MAX_ENTRIES; ref++) {
            List<Chunk> m = List.of(chunk(ref, new byte[] {(byte) ref}));
            cache.commit(m, cache.plan(m));
        }
        // Two messages in the inbox, each teaching one function and so evicting the eldest.
        List<Chunk> first = List.of(chunk(1000, new byte[] {1}));
        WorkerCache.Plan firstPlan = cache.plan(first);
        cache.commit(first, firstPlan);
        List<Chunk> second = List.of(chunk(1001, new byte[] {2}));
        WorkerCache.Plan secondPlan = cache.plan(second);
        cache.commit(second, secondPlan);
        assertArrayEquals(new long[] {0}, firstPlan.forget());
        assertArrayEquals(new long[] {1}, secondPlan.forget());

        // Both taken back, the last first: the worker never learned 1000 and 1001, and still has 0 and 1.
        cache.rollBack(secondPlan);
        cache.rollBack(firstPlan);
        assertEquals(WorkerCache.MAX_ENTRIES - 2, cache.size(), "the mirror counts neither");
        List<Chunk> again = List.of(chunk(1001, new byte[] {2}));
        WorkerCache.Plan next = cache.plan(again);
        assertArrayEquals(new long[] {1001}, next.learnRefs(), "sent again: the worker never had it");
        assertArrayEquals(new long[] {1, 0}, next.forget(), "what the undone messages were to forget");
        cache.commit(again, next);
        assertArrayEquals(new long[0], cache.plan(again).forget(), "forgotten once");
        assertArrayEquals(new long[0], cache.plan(again).learnRefs());
    }

    @Test
    void aFunctionTaughtByAnUndoneMessageIsSentAgainAndNothingIsOwed() {
        WorkerCache cache = new WorkerCache();
        List<Chunk> m = List.of(chunk(5, new byte[] {5}));
        WorkerCache.Plan plan = cache.plan(m);
        cache.commit(m, plan);
        cache.rollBack(plan);
        assertEquals(0, cache.size());
        WorkerCache.Plan next = cache.plan(m);
        assertArrayEquals(new long[] {5}, next.learnRefs());
        assertArrayEquals(new long[0], next.forget(), "the worker never had 5: nothing to forget");
    }
}
