package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A condition's record, without a cluster. */
class ConditionRecordTest {
    private static final String KEY = "condition-k";

    private static Answer run(State s, Op.Code code, String holder, int arg) {
        return State.apply(s, new Op(code, KEY, holder, "desc of " + holder, arg, 0)).answer();
    }

    private static State created() {
        return State.apply(null, new Op(Op.Code.CREATE, KEY, "owner", "the owner", State.Kind.CONDITION.ordinal(), 0)).state();
    }

    /** {@return a new condition's record with these waiters, joined in this order} */
    private static State waitedOnBy(String... waiters) {
        State s = created();
        for (String w : waiters) {
            run(s, Op.Code.COND_JOIN, w, 0);
        }
        return s;
    }

    /** {@return the record after it was stored and read back, as the member does between operations} */
    private static State stored(State s) {
        return State.decode(s.encode());
    }

    @Test
    @DisplayName("a signal wakes the oldest waiters in the order they joined, and only them")
    void signalInOrder() {
        State s = stored(waitedOnBy("a/1", "b/1", "a/2"));
        assertEquals(2, run(s, Op.Code.COND_SIGNAL, "b/9", 2).number());
        assertEquals(Answer.Status.OK, run(s, Op.Code.COND_WAIT, "a/1", 0).status());
        assertEquals(Answer.Status.OK, run(s, Op.Code.COND_WAIT, "b/1", 0).status());
        assertEquals(Answer.Status.WAIT, run(s, Op.Code.COND_WAIT, "a/2", 0).status());
        assertEquals(1, run(s, Op.Code.COND_SIGNAL, "b/9", Integer.MAX_VALUE).number(), "a signalled waiter was counted again");
        assertEquals(0, run(stored(s), Op.Code.COND_SIGNAL, "b/9", 1).number());
    }

    @Test
    @DisplayName("a waiter that leaves before a signal does not take it from a later waiter; one signalled first is told")
    void noLostWakeup() {
        State s = waitedOnBy("a/1", "b/1");
        assertEquals(0, run(s, Op.Code.COND_LEAVE, "a/1", 0).number(), "a timed-out waiter was told it was signalled");
        assertEquals(1, run(s, Op.Code.COND_SIGNAL, "x/1", 1).number());
        assertEquals(Answer.Status.OK, run(s, Op.Code.COND_WAIT, "b/1", 0).status());
        assertEquals(1, run(s, Op.Code.COND_LEAVE, "b/1", 0).number(), "an interrupted waiter lost the signal that reached it");
        assertTrue(s.holders.isEmpty());
        assertEquals(0, run(s, Op.Code.COND_WAIT, "a/1", 0).number(), "a thread that is no waiter must not wait");
    }

    @Test
    @DisplayName("a session that leaves is dropped from the waiters, so a signal goes to a live one;"
            + " the owner's leaving makes it gone")
    void sessionsLeave() {
        State s = waitedOnBy("dead/1", "live/1");
        State.Step step = State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "dead", "", 0, 0));
        assertTrue(step.changed());
        assertEquals("", s.died, "a waiter's death is no holder's death");
        run(s, Op.Code.COND_SIGNAL, "x/1", 1);
        assertEquals(Answer.Status.OK, run(s, Op.Code.COND_WAIT, "live/1", 0).status());
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "owner", "", 0, 0));
        Answer gone = run(s, Op.Code.COND_WAIT, "live/1", 0);
        assertEquals(Answer.Status.GONE, gone.status());
        assertTrue(gone.text().contains("Condition " + KEY + " is gone: its owner, the owner, ended"), gone.text());
    }

    @Test
    @DisplayName("a signal that chose a waiter whose process then died, before its end reached the record, passes to the next live waiter")
    void signalOfTheDeadPassesOn() {
        State s = waitedOnBy("dead/1", "live/1", "live/2");
        assertEquals(1, run(s, Op.Code.COND_SIGNAL, "x/1", 1).number(), "the signal chose the dead waiter");
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "dead", "", 0, 0));
        s = stored(s);
        assertEquals(Answer.Status.OK, run(s, Op.Code.COND_WAIT, "live/1", 0).status(), "the oldest live waiter got it");
        assertEquals(Answer.Status.WAIT, run(s, Op.Code.COND_WAIT, "live/2", 0).status(), "and only it");
        State.apply(s, new Op(Op.Code.SESSION_GONE, Op.ANY_KEY, "nobody", "", 0, 0));
        assertEquals(Answer.Status.WAIT, run(s, Op.Code.COND_WAIT, "live/2", 0).status(), "a session without waiters passes nothing");
    }
}
