package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A pipe's record, without a cluster. */
class PipeRecordTest {
    private static final String KEY = "pipe-k";
    private static final long NOW = 1_000_000;

    private static State.Step step(State s, Op.Code code, String session, int end, byte[] data, long now) {
        return State.apply(s, new Op(code, KEY, session, "process " + session, end, 0, data, 0), now);
    }

    private static Answer run(State s, Op.Code code, String session, int end) {
        return step(s, code, session, end, new byte[0], NOW).answer();
    }

    /** {@return a new pipe opened by session {@code p}, whose endpoint is {@code p:1}} */
    private static State opened() {
        return State.apply(null, new Op(Op.Code.CREATE, KEY, "p", "the opener", State.Kind.PIPE.ordinal(), 0,
                PipeRecord.utf("p:1"), 0), NOW).state();
    }

    private static State stored(State s) {
        return State.decode(s.encode());
    }

    private static byte[] move(long epoch, String to) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeLong(epoch);
            out.writeUTF(to);
            out.writeUTF(to + ":1");
            out.writeUTF("process " + to);
        }
        return bytes.toByteArray();
    }

    @Test
    @DisplayName("the opener holds and keeps both ends; end of file comes when the other end's last holder closes it")
    void closeByLastHolder() {
        State s = stored(opened());
        PipeRecord p = PipeRecord.of(s);
        assertEquals("p", p.homeSession[0]);
        assertEquals("p:1", p.homeEndpoint[1]);
        run(s, Op.Code.PIPE_ATTACH, "c", 1);
        run(s, Op.Code.PIPE_CLOSE, "p", 1);
        p = PipeRecord.of(stored(s));
        assertFalse(p.atEnd(s, 0, NOW), "end of file while the child still holds the other end");
        assertFalse(p.broken(s, 1, NOW));
        run(s, Op.Code.PIPE_CLOSE, "c", 1);
        p = PipeRecord.of(s);
        assertTrue(p.closed[1]);
        assertTrue(p.atEnd(s, 0, NOW));
        assertTrue(p.broken(s, 1, NOW));
        assertFalse(s.gone, "gone while end 0 is held");
        run(s, Op.Code.PIPE_CLOSE, "p", 0);
        assertTrue(s.gone, "both ends closed, and the record stays");
    }

    @Test
    @DisplayName("a ticket holds an end for a receiver that has not attached yet, until it attaches or it lapses")
    void ticketHoldsTheEnd() {
        State s = opened();
        step(s, Op.Code.PIPE_TICKET, "p", 1, PipeRecord.utf("t1"), NOW);
        run(s, Op.Code.PIPE_CLOSE, "p", 1);
        PipeRecord p = PipeRecord.of(stored(s));
        assertFalse(p.closed[1], "the end closed under a child that had not attached yet");
        assertFalse(p.atEnd(s, 0, NOW));
        assertTrue(p.atEnd(s, 0, NOW + PipeRecord.TICKET_MILLIS), "a ticket never attached kept the end open");
        step(s, Op.Code.PIPE_ATTACH, "c", 1, PipeRecord.utf("t1"), NOW + 10);
        assertTrue(s.waiting.isEmpty(), "the ticket stayed after its receiver attached");
        assertTrue(s.holders.containsKey("c/1"));
        assertFalse(PipeRecord.of(s).atEnd(s, 0, NOW + PipeRecord.TICKET_MILLIS));
    }

    @Test
    @DisplayName("a holder that dies gives end of file when every remaining holder of its end also holds this one;"
            + " a new holder takes it back")
    void deadHolderAndPythonsTrap() {
        State s = opened();
        run(s, Op.Code.PIPE_ATTACH, "c", 1);
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "c", "", 0, 0), NOW);
        PipeRecord p = PipeRecord.of(stored(s));
        assertTrue(p.died[1]);
        assertTrue(p.atEnd(s, 0, NOW), "the parent kept its copy of the dead child's end, and waits forever");
        run(s, Op.Code.PIPE_ATTACH, "d", 1);
        assertFalse(PipeRecord.of(s).atEnd(s, 0, NOW), "a second worker attached, yet the end stays abandoned");
    }

    @Test
    @DisplayName("a move names the new home and counts the epoch up; sent again it answers the same; a stale one is refused")
    void moveHome() throws IOException {
        State s = opened();
        Answer a = step(s, Op.Code.PIPE_MOVE, "p", 1, move(0, "c"), NOW).answer();
        assertEquals(Answer.Status.OK, a.status());
        assertEquals(1, a.number());
        PipeRecord p = PipeRecord.of(stored(s));
        assertEquals("c", p.homeSession[1]);
        assertEquals("c:1", p.homeEndpoint[1]);
        assertEquals(Answer.Status.OK, step(s, Op.Code.PIPE_MOVE, "p", 1, move(0, "c"), NOW).answer().status(),
                "a move sent again after its member was lost failed");
        assertEquals(Answer.Status.ILLEGAL, step(s, Op.Code.PIPE_MOVE, "p", 1, move(0, "d"), NOW).answer().status(),
                "a process that is no longer the home moved the end");
        assertEquals(Answer.Status.OK, step(s, Op.Code.PIPE_MOVE, "c", 1, move(1, "d"), NOW).answer().status());
        assertEquals("d", PipeRecord.of(s).homeSession[1]);
    }

    @Test
    @DisplayName("the record knows each holder's endpoint, where a home that lets its end go hands it over")
    void endpointsOfHolders() {
        State s = opened();
        assertEquals(null, PipeRecord.of(s).otherHolder(s, 0, "p"), "the opener is the only holder");
        step(s, Op.Code.PIPE_ATTACH, "c", 0, PipeRecord.utf("", "c:1"), NOW);
        PipeRecord p = PipeRecord.of(stored(s));
        assertEquals("c:1", p.endpoints.get("c"));
        assertEquals("c", p.otherHolder(s, 0, "p"));
        assertEquals(null, p.otherHolder(s, 1, "p"), "c holds end 0 only");
        run(s, Op.Code.PIPE_CLOSE, "c", 0);
        assertFalse(PipeRecord.of(s).endpoints.containsKey("c"), "a process that holds nothing keeps its endpoint listed");
        step(s, Op.Code.PIPE_ATTACH, "d", 1, PipeRecord.utf("", "d:1"), NOW);
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "d", "", 0, 0), NOW);
        assertFalse(PipeRecord.of(s).endpoints.containsKey("d"));
        assertEquals("p:1", PipeRecord.of(s).endpoints.get("p"));
    }

    @Test
    @DisplayName("the home that ends takes its end's messages: the end is lost, naming it; the record lives in its holders")
    void homeDies() throws IOException {
        State s = opened();
        run(s, Op.Code.PIPE_ATTACH, "c", 1);
        step(s, Op.Code.PIPE_MOVE, "p", 1, move(0, "c"), NOW);
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "p", "", 0, 0), NOW);
        PipeRecord p = PipeRecord.of(stored(s));
        assertFalse(s.gone, "the opener's end made the pipe gone, though a child holds an end");
        assertEquals("the opener", p.lost[0]);
        assertEquals("", p.lost[1], "the child keeps end 1's messages");
        assertTrue(PipeRecord.lostMessage(p, 0).contains("the opener"));
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "c", "", 0, 0), NOW);
        assertTrue(s.gone, "nobody holds anything, and the record stays");
    }
}
