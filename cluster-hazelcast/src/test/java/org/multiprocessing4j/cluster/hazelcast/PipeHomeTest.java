package org.multiprocessing4j.cluster.hazelcast;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A pipe end's messages at one home, and how a hand-over merges into them, without a cluster. */
class PipeHomeTest {
    private static byte[] m(String text) {
        return text.getBytes(UTF_8);
    }

    private static List<String> drain(PipeHost.Home h) {
        List<String> out = new ArrayList<>();
        for (byte[] b = h.poll(); b != null; b = h.poll()) {
            out.add(new String(b, UTF_8));
        }
        return out;
    }

    @Test
    @DisplayName("a message sent again (its answer lost) is taken once")
    void resendTakenOnce() {
        PipeHost.Home h = new PipeHost.Home(1, false);
        h.add("s/1", 1, m("a"));
        h.add("s/1", 1, m("a"));
        h.add("s/1", 2, m("b"));
        h.add("t/1", 1, m("c"));
        assertEquals(List.of("a", "b", "c"), drain(h));
        assertNull(h.poll());
    }

    @Test
    @DisplayName("a hand-over goes ahead of what came meanwhile, and a resend the old home had taken is dropped")
    void handOverDropsWhatTheOldHomeTook() {
        PipeHost.Home h = new PipeHost.Home(2, true);
        // While the hand-over is on its way: s resends its 5 (the old home took it, but its
        // answer was lost), then sends 6; t sends its 1, which the old home never saw.
        h.add("s/1", 5, m("s5 again"));
        h.add("s/1", 6, m("s6"));
        h.add("t/1", 1, m("t1"));

        h.handedOver(List.of(m("s4"), m("s5")), Map.of("s/1", 5L, "u/1", 9L));

        assertEquals(List.of("s4", "s5", "s6", "t1"), drain(h));
        // What the old home took is known here now.
        h.add("u/1", 9, m("u9 again"));
        h.add("s/1", 6, m("s6 again"));
        h.add("u/1", 10, m("u10"));
        assertEquals(List.of("u10"), drain(h));
    }

    @Test
    @DisplayName("messages taken before a late hand-over keep their order after it, read or not")
    void lateHandOverAfterReads() {
        PipeHost.Home h = new PipeHost.Home(3, false);
        h.add("s/1", 1, m("s1"));
        h.add("s/1", 2, m("s2"));
        assertEquals("s1", new String(h.poll(), UTF_8));
        h.handedOver(List.of(m("old")), Map.of("s/1", 1L));
        assertEquals(List.of("old", "s2"), drain(h));
    }

    @Test
    @DisplayName("a home that hands over gives everything, oldest first, and is left empty")
    void drainGivesAll() {
        PipeHost.Home h = new PipeHost.Home(1, false);
        h.handedOver(List.of(m("x")), Map.of());
        h.add("s/1", 1, m("y"));
        assertEquals(List.of("x", "y"), h.drain().stream().map(b -> new String(b, UTF_8)).toList());
        assertNull(h.poll());
    }
}
