package org.multiprocessing4j.ipc.sharedmem;

/**
 * The layout of a {@code Barrier} block: a header line, the outcomes of past rounds, then one
 * word per party.
 * <pre>
 *   0          8         12        16        20                                  64
 *   +----------+---------+---------+---------+-----------------------------------+
 *   | state    | epoch   | waiters | parties | (padding)                         |
 *   +----------+---------+---------+---------+-----------------------------------+
 *   64: outcome of round r at 64 + 8 * (r % ROUNDS), ROUNDS longs
 *   64 + 8 * ROUNDS: party i at + 8 * i, parties longs
 * </pre>
 * <ul>
 * <li>{@code state}: the round (high 32 bits), then flags {@link #PREVIOUS_RELEASED},
 *     {@link #BROKEN}, {@link #ACTION}, why a broken round broke (3 bits), and the number of parties arrived in this round (low
 *     24 bits). Changed only by compare-and-set.</li>
 * <li>{@code epoch}: the futex word everyone waits on; whoever changes the state in a way a
 *     waiter cares about (a release, a break, a reset) adds one to it after, and wakes all.</li>
 * <li>{@code waiters}: how many sleep in futex on {@code epoch}.</li>
 * <li>{@code outcome}: {@code round << 1 | released} of a past round, written by whoever moves
 *     the state past the round after it, so a waiter that slept through several rounds still
 *     learns how its own ended (the state's {@code PREVIOUS_RELEASED} says it for the round just
 *     before).</li>
 * <li>{@code party i}: the process that arrived i-th in this round (packed
 *     {@link ProcessIdentity}), 0 when nobody has. A party takes its word by compare-and-set
 *     before it counts itself in the state, so the count moves only by the owner of the word at
 *     the count, and a party that died on the way is found there. Cleared before a new round
 *     begins.</li>
 * </ul>
 */
final class BarrierDescriptor {
    static final long STATE = 0;
    static final long EPOCH = 8;
    static final long WAITERS = 12;
    static final long PARTIES = 16;
    static final long OUTCOMES = 64;
    /** How many past rounds' outcomes are kept. */
    static final int ROUNDS = 256;
    static final long PARTY = OUTCOMES + 8L * ROUNDS;
    /** The most parties a shared-memory barrier has; a larger one is the broker's. */
    static final int MAX_PARTIES = 4096;

    static final long COUNT_MASK = (1L << 24) - 1;
    static final long ACTION = 1L << 24;
    static final long BROKEN = 1L << 25;
    static final long PREVIOUS_RELEASED = 1L << 26;
    /** Where a broken round keeps why (an index into {@link #WHY}), set with {@link #BROKEN}. */
    static final int WHY_SHIFT = 27;
    static final long WHY_MASK = 7L << WHY_SHIFT;
    /** Why a round broke, by code. */
    static final String[] WHY = {"", "the Barrier was aborted", "a party timed out", "a party was interrupted",
        "a party died waiting", "its action failed", "the party running its action died"};
    static final int ABORTED = 1;
    static final int TIMED_OUT = 2;
    static final int INTERRUPTED = 3;
    static final int DIED = 4;
    static final int ACTION_FAILED = 5;
    static final int RUNNER_DIED = 6;

    private BarrierDescriptor() {
    }

    /**
     * {@return the size of the block}
     *
     * @param parties the number of parties
     */
    static long size(int parties) {
        return PARTY + 8L * parties;
    }

    static long party(int i) {
        return PARTY + 8L * i;
    }

    static long outcome(long round) {
        return OUTCOMES + 8L * Math.floorMod(round, ROUNDS);
    }

    /** {@return why the (broken) round of this state broke} */
    static String why(long state) {
        return WHY[(int) ((state & WHY_MASK) >>> WHY_SHIFT)];
    }

    static long round(long state) {
        return state >>> 32;
    }

    static int count(long state) {
        return (int) (state & COUNT_MASK);
    }

    static long state(long round, long flags, int count) {
        return round << 32 | flags | count;
    }
}
