package org.multiprocessing4j.cluster.hazelcast;

import java.util.Map;

/**
 * The logic of a {@code Barrier}'s record: {@code bound} is its parties, {@link State#broken}
 * why it is broken, and its holders (keyed {@code session/thread}, in arrival order) the
 * parties of the current round and the outcomes not yet collected of those that waited:
 *
 * <pre>
 *   count &gt;= 0               waiting in the current round; the count is its arrival index
 *   count == BROKEN_OUTCOME  its round broke; desc is the message it gets
 *   count &lt; 0 otherwise      its round was released; its index is -1 - count
 * </pre>
 *
 * A party arrives ({@link Op.Code#BARRIER_ARRIVE}, {@code arg} 1 when the barrier has an
 * action); unless it is the last, it then polls ({@link Op.Code#BARRIER_POLL}, which only
 * reads) until its outcome is there or its time is up, and collects the outcome, or gives up,
 * with {@link Op.Code#BARRIER_LEAVE} ({@code arg} one of {@link #COLLECT}, {@link #TIMED_OUT},
 * {@link #INTERRUPTED}): a party that gives up breaks the barrier, unless a signal — the
 * release — reached it first. The last party of a barrier with an action stays in the round
 * (which is then full: later arrivals wait to enter, untimed, and timeouts do not break it)
 * until it reports with {@link Op.Code#BARRIER_ACTION_DONE}. A session that leaves the cluster
 * while one of its threads waits (or runs the action) breaks the barrier, as on the local
 * transports.
 */
final class BarrierRecord {
    /** The count of a party whose round broke. */
    static final int BROKEN_OUTCOME = Integer.MIN_VALUE;
    /** In the number of an arrival's answer: the party must poll for its release. */
    static final long MUST_WAIT = 1L << 32;
    /** In the number of an arrival's answer: the party must run the action, then report. */
    static final long RUN_ACTION = 1L << 33;
    /** {@link Op.Code#BARRIER_LEAVE}: collect the outcome {@link Op.Code#BARRIER_POLL} saw. */
    static final int COLLECT = 0;
    /** {@link Op.Code#BARRIER_LEAVE}: the party's time ran out. */
    static final int TIMED_OUT = 1;
    /** {@link Op.Code#BARRIER_LEAVE}: the party was interrupted. */
    static final int INTERRUPTED = 2;
    private static final String PREFIX = "the Barrier is broken: ";

    private BarrierRecord() {
    }

    /**
     * Applies a barrier's operation to a live record.
     *
     * @param s  the record
     * @param op the operation, one of the {@code BARRIER_} codes
     * @return what happened
     */
    static State.Step apply(State s, Op op) {
        String h = op.holder();
        return switch (op.code()) {
            case BARRIER_ARRIVE -> arrive(s, h, op.desc(), op.arg() == 1);
            case BARRIER_POLL -> s.unchanged(poll(s.holders.get(h)));
            case BARRIER_LEAVE -> leave(s, h, op.desc(), op.arg());
            case BARRIER_ACTION_DONE -> actionDone(s, h, op.desc(), op.arg() == 1);
            case BARRIER_RESET -> reset(s);
            case BARRIER_ABORT -> {
                breakRound(s, "the Barrier was aborted");
                yield s.changed(Answer.ok(0));
            }
            case BARRIER_N_WAITING -> s.unchanged(Answer.ok(Math.min(waiting(s), s.bound - 1)));
            case BARRIER_IS_BROKEN -> s.unchanged(Answer.ok(s.broken.isEmpty() ? 0 : 1));
            default -> throw new AssertionError(op.code());
        };
    }

    private static State.Step arrive(State s, String h, String desc, boolean hasAction) {
        if (!s.broken.isEmpty()) {
            return s.unchanged(Answer.of(Answer.Status.BROKEN, PREFIX + s.broken));
        }
        State.Hold stale = s.holders.get(h);
        if (stale != null && stale.count() >= 0) {
            return s.unchanged(Answer.of(Answer.Status.ILLEGAL, "this thread is already waiting at the Barrier"));
        }
        int index = waiting(s);
        if (index >= s.bound) {
            return s.unchanged(Answer.of(Answer.Status.WAIT, "the Barrier's action runs; the next round has not begun"));
        }
        s.holders.remove(h); // an outcome its thread never collected
        boolean last = index == s.bound - 1;
        if (last && !hasAction) {
            release(s);
            return s.changed(Answer.ok(index));
        }
        s.holders.put(h, new State.Hold(index, desc));
        return s.changed(Answer.ok(index | (last ? RUN_ACTION : MUST_WAIT)));
    }

    private static Answer poll(State.Hold mine) {
        if (mine == null) {
            return Answer.of(Answer.Status.BROKEN, PREFIX + "this party is no longer counted in its round");
        }
        if (mine.count() >= 0) {
            return Answer.of(Answer.Status.WAIT, "the round is not complete");
        }
        return mine.count() == BROKEN_OUTCOME ? Answer.of(Answer.Status.BROKEN, mine.desc()) : Answer.ok(-1 - mine.count());
    }

    private static State.Step leave(State s, String h, String desc, int why) {
        State.Hold mine = s.holders.get(h);
        if (mine != null && mine.count() < 0) {
            s.holders.remove(h);
            return s.changed(poll(mine));
        }
        if (mine == null) {
            return s.unchanged(poll(null));
        }
        // still waiting: a round whose action runs is not broken by a timeout
        if (why == COLLECT || why == TIMED_OUT && waiting(s) == s.bound) {
            return s.unchanged(Answer.of(Answer.Status.WAIT, "the round is not complete"));
        }
        s.holders.remove(h);
        breakRound(s, (why == TIMED_OUT ? "a party timed out in " : "a party was interrupted in ") + desc);
        return s.changed(Answer.of(Answer.Status.BROKEN, PREFIX + s.broken));
    }

    private static State.Step actionDone(State s, String h, String desc, boolean succeeded) {
        State.Hold mine = s.holders.get(h);
        if (mine == null || mine.count() != s.bound - 1 || waiting(s) != s.bound) {
            if (mine != null && mine.count() == BROKEN_OUTCOME) {
                s.holders.remove(h);
                return s.changed(Answer.of(Answer.Status.BROKEN, mine.desc()));
            }
            return s.unchanged(Answer.of(Answer.Status.BROKEN, "the Barrier was reset while its action ran"));
        }
        s.holders.remove(h);
        if (succeeded) {
            release(s);
        } else {
            breakRound(s, "its action failed in " + desc);
        }
        return s.changed(Answer.ok(0));
    }

    private static State.Step reset(State s) {
        if (waiting(s) > 0) {
            endRound(s, PREFIX + "the Barrier was reset while waiting", "the Barrier was reset while its action ran");
        }
        s.broken = "";
        return s.changed(Answer.ok(0));
    }

    /**
     * Drops the entries of a session that left; if one of its threads waited in the round (or
     * ran the action), the barrier breaks.
     *
     * @param s       the record
     * @param session the session
     * @return whether it had any
     */
    static boolean sessionGone(State s, String session) {
        boolean full = waiting(s) == s.bound;
        String dead = null;
        boolean changed = false;
        for (var it = s.holders.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, State.Hold> e = it.next();
            if (State.sessionOf(e.getKey()).equals(session)) {
                it.remove();
                changed = true;
                int count = e.getValue().count();
                if (count >= 0 && dead == null) {
                    dead = e.getValue().desc() + (full && count == s.bound - 1 ? " died running its action" : " died waiting");
                }
            }
        }
        if (dead != null) {
            breakRound(s, dead);
        }
        return changed;
    }

    /** {@return how many parties are counted in the current round} */
    private static int waiting(State s) {
        int n = 0;
        for (State.Hold hold : s.holders.values()) {
            if (hold.count() >= 0) {
                n++;
            }
        }
        return n;
    }

    /** Releases the round: every party counted in it gets its index as its outcome. */
    private static void release(State s) {
        for (Map.Entry<String, State.Hold> e : s.holders.entrySet()) {
            int count = e.getValue().count();
            if (count >= 0) {
                e.setValue(new State.Hold(-1 - count, e.getValue().desc()));
            }
        }
    }

    /** Breaks the barrier: until a reset, every party counted now and every later one is told why. */
    private static void breakRound(State s, String why) {
        s.broken = why;
        endRound(s, PREFIX + s.broken, "the Barrier was broken (" + s.broken + ") while its action ran");
    }

    private static void endRound(State s, String message, String runnerMessage) {
        boolean full = waiting(s) == s.bound;
        for (Map.Entry<String, State.Hold> e : s.holders.entrySet()) {
            int count = e.getValue().count();
            if (count >= 0) {
                e.setValue(new State.Hold(BROKEN_OUTCOME, full && count == s.bound - 1 ? runnerMessage : message));
            }
        }
    }
}
