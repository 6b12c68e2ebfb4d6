package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A barrier's record, without a cluster. */
class BarrierRecordTest {
    private static final String KEY = "barrier-k";

    private static Answer run(State s, Op.Code code, String holder, int arg) {
        return State.apply(s, new Op(code, KEY, holder, "desc of " + holder, arg, 0)).answer();
    }

    private static State created(int parties) {
        return State.apply(null, new Op(Op.Code.CREATE, KEY, "owner", "the owner", State.Kind.BARRIER.ordinal(), parties))
                .state();
    }

    /** {@return the record after it was stored and read back, as the member does between operations} */
    private static State stored(State s) {
        return State.decode(s.encode());
    }

    private static long arrive(State s, String holder, boolean hasAction) {
        Answer a = run(s, Op.Code.BARRIER_ARRIVE, holder, hasAction ? 1 : 0);
        assertEquals(Answer.Status.OK, a.status(), a.text());
        return a.number();
    }

    private static void assertBroken(Answer a, String why) {
        assertEquals(Answer.Status.BROKEN, a.status());
        assertTrue(a.text().contains(why), a.text());
    }

    @Test
    @DisplayName("the last party releases the round; each collects its index once; the next round starts empty")
    void rounds() {
        State s = created(3);
        assertEquals(0 | BarrierRecord.MUST_WAIT, arrive(s, "a/1", false));
        assertEquals(1 | BarrierRecord.MUST_WAIT, arrive(s, "b/1", false));
        assertEquals(Answer.Status.WAIT, run(s, Op.Code.BARRIER_POLL, "a/1", 0).status());
        assertEquals(2, run(s, Op.Code.BARRIER_N_WAITING, "x", 0).number());
        s = stored(s);
        assertEquals(2, arrive(s, "c/1", false), "the last party was told to wait");
        assertEquals(0, run(s, Op.Code.BARRIER_N_WAITING, "x", 0).number());
        assertEquals(0 | BarrierRecord.MUST_WAIT, arrive(s, "c/1", false), "the next round did not start empty");
        assertEquals(1, run(s, Op.Code.BARRIER_POLL, "b/1", 0).number());
        assertEquals(1, run(s, Op.Code.BARRIER_LEAVE, "b/1", BarrierRecord.COLLECT).number());
        assertEquals(0, run(s, Op.Code.BARRIER_LEAVE, "a/1", BarrierRecord.TIMED_OUT).number(),
                "a party released before its time ran out broke the barrier");
        assertEquals(0, s.holders.keySet().stream().filter(h -> !h.equals("c/1")).count());
    }

    @Test
    @DisplayName("with an action, the last party runs it in a complete round: timeouts do not break it, newcomers wait")
    void action() {
        State s = created(2);
        arrive(s, "a/1", true);
        assertEquals(1 | BarrierRecord.RUN_ACTION, arrive(s, "b/1", true));
        assertEquals(Answer.Status.WAIT, run(s, Op.Code.BARRIER_ARRIVE, "c/1", 1).status(),
                "a newcomer entered a running round");
        assertEquals(Answer.Status.WAIT, run(s, Op.Code.BARRIER_LEAVE, "a/1", BarrierRecord.TIMED_OUT).status());
        assertEquals(1, run(s, Op.Code.BARRIER_N_WAITING, "x", 0).number());
        s = stored(s);
        assertEquals(Answer.Status.OK, run(s, Op.Code.BARRIER_ACTION_DONE, "b/1", 1).status());
        assertEquals(0, run(s, Op.Code.BARRIER_LEAVE, "a/1", BarrierRecord.COLLECT).number());
        arrive(s, "a/1", true);
        arrive(s, "b/1", true);
        run(s, Op.Code.BARRIER_ACTION_DONE, "b/1", 0);
        assertBroken(run(s, Op.Code.BARRIER_LEAVE, "a/1", BarrierRecord.COLLECT),
                "the Barrier is broken: its action failed in desc of b/1");
        assertBroken(run(s, Op.Code.BARRIER_ARRIVE, "c/1", 1), "its action failed");
    }

    @Test
    @DisplayName("a party that times out or is interrupted breaks the round for the others and for later parties until reset")
    void giveUpBreaks() {
        State s = created(3);
        arrive(s, "a/1", false);
        arrive(s, "b/1", false);
        assertBroken(run(s, Op.Code.BARRIER_LEAVE, "b/1", BarrierRecord.TIMED_OUT), "a party timed out in desc of b/1");
        assertEquals(1, run(s, Op.Code.BARRIER_IS_BROKEN, "x", 0).number());
        assertEquals(0, run(s, Op.Code.BARRIER_N_WAITING, "x", 0).number());
        assertBroken(run(s, Op.Code.BARRIER_POLL, "a/1", 0), "a party timed out");
        run(s, Op.Code.BARRIER_LEAVE, "a/1", BarrierRecord.COLLECT);
        run(s, Op.Code.BARRIER_RESET, "x", 0);
        assertEquals(0, run(s, Op.Code.BARRIER_IS_BROKEN, "x", 0).number());
        arrive(s, "a/1", false);
        assertBroken(run(s, Op.Code.BARRIER_LEAVE, "a/1", BarrierRecord.INTERRUPTED), "a party was interrupted in desc of a/1");
    }

    @Test
    @DisplayName("reset breaks the waiting parties (and the action's runner) but leaves the barrier unbroken; abort breaks it")
    void resetAndAbort() {
        State s = created(2);
        arrive(s, "a/1", true);
        run(s, Op.Code.BARRIER_RESET, "x", 0);
        assertEquals(0, run(s, Op.Code.BARRIER_IS_BROKEN, "x", 0).number());
        assertBroken(run(s, Op.Code.BARRIER_LEAVE, "a/1", BarrierRecord.COLLECT),
                "the Barrier is broken: the Barrier was reset while waiting");
        arrive(s, "a/1", true);
        arrive(s, "b/1", true);
        run(s, Op.Code.BARRIER_RESET, "x", 0);
        assertBroken(run(s, Op.Code.BARRIER_ACTION_DONE, "b/1", 1), "the Barrier was reset while its action ran");
        run(s, Op.Code.BARRIER_ABORT, "x", 0);
        assertBroken(run(s, Op.Code.BARRIER_ARRIVE, "c/1", 0), "the Barrier is broken: the Barrier was aborted");
    }

    @Test
    @DisplayName("a session that leaves while one of its threads waits or runs the action breaks the barrier;"
            + " its owner's leaving makes it gone")
    void sessionsLeave() {
        State s = created(3);
        arrive(s, "live/1", false);
        arrive(s, "dead/1", false);
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "dead", "", 0, 0));
        assertBroken(run(s, Op.Code.BARRIER_POLL, "live/1", 0), "the Barrier is broken: desc of dead/1 died waiting");
        assertTrue(s.holders.keySet().stream().noneMatch(h -> h.startsWith("dead")));
        run(s, Op.Code.BARRIER_LEAVE, "live/1", BarrierRecord.COLLECT);
        run(s, Op.Code.BARRIER_RESET, "x", 0);
        arrive(s, "live/1", true);
        arrive(s, "other/1", true);
        assertEquals(2 | BarrierRecord.RUN_ACTION, arrive(s, "runner/1", true));
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "runner", "", 0, 0));
        assertBroken(run(s, Op.Code.BARRIER_POLL, "other/1", 0), "desc of runner/1 died running its action");
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "owner", "", 0, 0));
        assertEquals(Answer.Status.GONE, run(s, Op.Code.BARRIER_ARRIVE, "live/1", 0).status());
    }
}
