package org.multiprocessing4j.cluster.hazelcast;

import java.util.Map;

/**
 * The logic of a {@code Condition}'s record: its waiters, in the order they began to wait
 * (the record's holders, keyed {@code session/thread}, whose count is {@link #WAITING} or
 * {@link #SIGNALLED}). A waiter joins while it holds the condition's lock, so no signal can
 * pass between its joining and its letting the lock go; a signal marks the oldest waiters
 * still waiting, and nobody else; a waiter that gives up (time, interrupt) leaves, and a
 * signal that reached it first is reported to it, never passed to another.
 *
 * <ul>
 *   <li>{@link Op.Code#COND_JOIN}: joins the waiters (a stale entry of the same thread is
 *       dropped first);</li>
 *   <li>{@link Op.Code#COND_WAIT}, which only reads: OK 1 when signalled, WAIT while waiting,
 *       OK 0 when not a waiter (a spurious wakeup);</li>
 *   <li>{@link Op.Code#COND_LEAVE}: leaves; OK 1 if a signal had reached the waiter, else 0;</li>
 *   <li>{@link Op.Code#COND_SIGNAL}: marks the {@code arg} oldest waiters; OK with how many.</li>
 * </ul>
 * A session that leaves the cluster is dropped from the waiters, so a signal goes to a live one;
 * one that had already chosen a waiter of that session passes to the next live waiter.
 */
final class ConditionRecord {
    /** A waiter's count while it waits. */
    static final int WAITING = 0;
    /** A waiter's count once a signal chose it. */
    static final int SIGNALLED = 1;

    private ConditionRecord() {
    }

    /**
     * Applies a condition's operation to a live record.
     *
     * @param s  the record
     * @param op the operation, one of the {@code COND_} codes
     * @return what happened
     */
    static State.Step apply(State s, Op op) {
        String h = op.holder();
        State.Hold mine = s.holders.get(h);
        return switch (op.code()) {
            case COND_JOIN -> {
                s.holders.remove(h);
                s.holders.put(h, new State.Hold(WAITING, op.desc()));
                yield s.changed(Answer.ok(0));
            }
            case COND_WAIT -> s.unchanged(mine == null ? Answer.ok(0)
                    : mine.count() == SIGNALLED ? Answer.ok(1) : Answer.of(Answer.Status.WAIT, "not signalled yet"));
            case COND_LEAVE -> mine == null ? s.unchanged(Answer.ok(0)) : leave(s, h, mine);
            case COND_SIGNAL -> signal(s, op.arg());
            default -> throw new AssertionError(op.code());
        };
    }

    private static State.Step leave(State s, String h, State.Hold mine) {
        s.holders.remove(h);
        return s.changed(Answer.ok(mine.count() == SIGNALLED ? 1 : 0));
    }

    private static State.Step signal(State s, int n) {
        int woken = 0;
        for (Map.Entry<String, State.Hold> e : s.holders.entrySet()) {
            if (woken >= n) {
                break;
            }
            if (e.getValue().count() == WAITING) {
                e.setValue(new State.Hold(SIGNALLED, e.getValue().desc()));
                woken++;
            }
        }
        return woken == 0 ? s.unchanged(Answer.ok(0)) : s.changed(Answer.ok(woken));
    }

    /**
     * Drops the waiters of a session that left. A signal that had chosen one of them and that
     * it never saw goes to the oldest waiter still waiting, as if sent now: a dead process
     * cannot use it, and a session's end reaches records one by one, so a signal may be sent
     * after the process died but before its end reached this record.
     *
     * @param s       the record
     * @param session the session
     * @return whether it had any
     */
    static boolean sessionGone(State s, String session) {
        int unseen = 0;
        boolean had = false;
        for (var it = s.holders.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, State.Hold> e = it.next();
            if (State.sessionOf(e.getKey()).equals(session)) {
                unseen += e.getValue().count() == SIGNALLED ? 1 : 0;
                it.remove();
                had = true;
            }
        }
        if (unseen > 0) {
            signal(s, unseen);
        }
        return had;
    }
}
