package org.multiprocessing4j.ipc.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.tck.TransportKit;

@DisplayName("the socket transport links processes directly")
class SocketDirectLinksTest extends TransportKit {
    private static final int BATCH = 100;

    @Override
    protected Context context() {
        return Multiprocessing.getContext("socket");
    }

    @Test
    @DisplayName("a child putting into its sibling's queue is not relayed by the parent once linked")
    void siblingsTalkDirectly() throws Exception {
        Queue<Object> back = new Queue<>();
        Queue<Integer> rounds = new Queue<>();
        Process owner = start(() -> {
            Queue<Integer> q = new Queue<>();
            back.put(q);
            int expected = 0;
            while (true) {
                int got = q.get();
                if (got < 0) {
                    break;
                }
                if (got != expected++) {
                    throw new AssertionError("expected " + (expected - 1) + ", got " + got);
                }
                if (expected % BATCH == 0) {
                    back.put("took " + expected);
                }
            }
        });
        @SuppressWarnings("unchecked")
        Queue<Integer> siblingsQueue = (Queue<Integer>) back.get();
        Process producer = start(() -> {
            int next = 0;
            while (rounds.get() > 0) {
                for (int i = 0; i < BATCH; i++) {
                    siblingsQueue.put(next++);
                }
            }
            siblingsQueue.put(-1);
        });
        // The link is set up in the background while the first puts travel along the tree; a
        // round that the parent relays almost nothing of shows the link at work.
        long best = Long.MAX_VALUE;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int round = 1; best >= BATCH / 10 && System.nanoTime() < deadline; round++) {
            long before = ProcessRuntime.current().router().relayedFrames();
            rounds.put(1);
            assertEquals("took " + round * BATCH, back.get(PATIENCE));
            best = Math.min(best, ProcessRuntime.current().router().relayedFrames() - before);
            Thread.sleep(50);
        }
        rounds.put(0);
        assertTrue(producer.join(PATIENCE) && owner.join(PATIENCE));
        assertEquals(0, producer.exitCode());
        assertEquals(0, owner.exitCode());
        // Relayed along the tree, a round's puts (posted: no answers) are BATCH frames.
        assertTrue(best < BATCH / 10, "every round had at least " + best + " frames relayed by the parent");
    }
}
