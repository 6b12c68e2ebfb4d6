package org.multiprocessing4j.tck.tiny;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.tck.TransportKit;

@DisplayName("the tiny transport's links carry the traffic between siblings")
class TinyDirectLinksTest extends TransportKit {
    private static final int ITEMS = 2000;

    @Override
    protected Context context() {
        return Multiprocessing.getContext(TinyTransportProvider.NAME);
    }

    @Test
    @DisplayName("a child putting into its sibling's queue makes the sibling accept a tiny link")
    void siblingsLink() throws Exception {
        Queue<Object> back = new Queue<>();
        Process owner = start(() -> {
            Queue<Integer> q = new Queue<>(10);        // bounded: each put is a call, answered
            back.put(q);
            for (int expected = 0; expected < ITEMS; expected++) {
                int got = q.get();
                if (got != expected) {
                    throw new AssertionError("expected " + expected + ", got " + got);
                }
            }
            back.put(TinyLinks.ACCEPTED.get());
        });
        @SuppressWarnings("unchecked")
        Queue<Integer> siblingsQueue = (Queue<Integer>) back.get();
        Process producer = start(() -> {
            for (int i = 0; i < ITEMS; i++) {
                siblingsQueue.put(i);
            }
        });
        Object accepted = back.get(PATIENCE);
        assertTrue(accepted instanceof Integer n && n > 0, "the owner accepted no tiny link: " + accepted);
        producer.join(PATIENCE);
        owner.join(PATIENCE);
        assertEquals(0, producer.exitCode());
        assertEquals(0, owner.exitCode());
    }
}
