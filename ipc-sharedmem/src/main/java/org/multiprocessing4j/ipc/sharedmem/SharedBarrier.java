package org.multiprocessing4j.ipc.sharedmem;

import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.ABORTED;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.ACTION;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.ACTION_FAILED;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.DIED;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.INTERRUPTED;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.RUNNER_DIED;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.TIMED_OUT;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.WHY_SHIFT;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.BROKEN;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.EPOCH;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.PARTIES;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.PREVIOUS_RELEASED;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.STATE;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.WAITERS;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.count;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.outcome;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.party;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.round;
import static org.multiprocessing4j.ipc.sharedmem.BarrierDescriptor.state;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.BrokenBarrierException;
import org.multiprocessing4j.spi.BarrierBackend;

/**
 * A {@code Barrier} in shared memory ({@link BarrierDescriptor}). A party takes the word of the
 * next arrival index, then counts itself in the state; the last one releases the round (or,
 * with an action, marks the state and answers "run the action"; {@link #actionDone} then
 * releases). Everyone waits on the epoch word, which every release, break and reset changes.
 *
 * <p>Dead parties: a waiting party looks once a slice whether a party counted in its round (or
 * the action's runner) has died, and breaks the barrier if so, as the broker does. A party
 * that died after taking its word but before counting itself never arrived: the next one takes
 * the word over. As in Python, a round whose last party has arrived is not broken by the
 * others' timeouts while its action runs; parties arriving meanwhile wait to enter, untimed.
 * When the barrier's creator has ended, waits fail with
 * {@link org.multiprocessing4j.ProcessGoneException}.
 *
 * <p>Known imprecision: a waiter that sleeps through {@value BarrierDescriptor#ROUNDS} later
 * rounds (possible only with more threads than parties, and a reset) reads its round as
 * released.
 */
final class SharedBarrier extends SharedPrimitive implements BarrierBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int parties;
    private final boolean hasAction;

    private SharedBarrier(SharedBlock block, int parties, boolean hasAction) {
        super(block);
        this.parties = parties;
        this.hasAction = hasAction;
    }

    /**
     * {@return a new barrier owned by this process, or null (the broker's) for more than {@value
     * BarrierDescriptor#MAX_PARTIES} parties}
     *
     * @param parties   the parties of each round, at least 1
     * @param hasAction whether the last party runs an action
     */
    static @Nullable SharedBarrier create(int parties, boolean hasAction) {
        if (parties > BarrierDescriptor.MAX_PARTIES) {
            return null;
        }
        SharedBlock block = SharedBlock.allocate(BarrierDescriptor.size(parties));
        Words.setInt(block.memory(), PARTIES, parties);
        return new SharedBarrier(block, parties, hasAction);
    }

    @Override
    public Arrival arrive(long timeoutNanos) throws InterruptedException {
        MemorySegment m = memory();
        long me = ProcessIdentity.current();
        Waiting entering = null;
        int spins = 0;
        while (true) {
            int epoch = Words.getInt(m, EPOCH);
            long s = Words.getLong(m, STATE);
            long r = round(s);
            if ((s & BROKEN) != 0) {
                throw broken(s);
            }
            int c = count(s);
            if ((s & ACTION) != 0 || c >= parties) {
                // The action runs, or the round is being released: wait to enter, untimed.
                if (entering == null) {
                    entering = new Waiting(-1);
                }
                if (entering.checkDue()) {
                    block.checkCreatorNow();
                    breakIfDead(m, s);
                }
                entering.pause(m, EPOCH, WAITERS, epoch);
                continue;
            }
            long word = party(c);
            long owner = Words.getLong(m, word);
            if (owner != 0) {
                // Another party is between taking this word and counting itself, or died there.
                if (++spins % 1024 == 0 && !ProcessIdentity.isAlive(owner)) {
                    Words.casLong(m, word, owner, 0);
                } else if (spins > 64) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
                continue;
            }
            if (!Words.casLong(m, word, 0, me)) {
                continue;
            }
            boolean last = c + 1 == parties;
            long flags = s & PREVIOUS_RELEASED | (last && hasAction ? ACTION : 0);
            long next = state(r, flags, c + 1);
            if (!Words.casLong(m, STATE, s, next)) {
                if (round(Words.getLong(m, STATE)) == r) {
                    Words.casLong(m, word, me, 0);
                }
                continue;
            }
            if (!last) {
                return awaitRelease(m, r, c, timeoutNanos);
            }
            if (hasAction) {
                return new Arrival(c, true, r);
            }
            if (!release(m, r)) {
                throw broken(Words.getLong(m, STATE));
            }
            return new Arrival(c, false, r);
        }
    }

    private Arrival awaitRelease(MemorySegment m, long r, int index, long timeoutNanos) throws InterruptedException {
        Waiting waiting = new Waiting(timeoutNanos > 0 ? timeoutNanos : -1);
        while (true) {
            int epoch = Words.getInt(m, EPOCH);
            long s = Words.getLong(m, STATE);
            if (round(s) != r) {
                if (released(m, r, s)) {
                    return new Arrival(index, false, r);
                }
                throw broken("the Barrier was reset while waiting");
            }
            if ((s & BROKEN) != 0) {
                throw broken(s);
            }
            // A round whose last party has arrived is not broken by a timeout (its action runs).
            boolean full = count(s) == parties;
            if (!full && (timeoutNanos == 0 || waiting.expired())) {
                breakRound(m, r, TIMED_OUT);
                throw broken(Words.getLong(m, STATE));
            }
            if (waiting.checkDue()) {
                block.checkCreatorNow();
                breakIfDead(m, s);
            }
            try {
                waiting.pause(m, EPOCH, WAITERS, epoch);
            } catch (InterruptedException e) {
                long now = Words.getLong(m, STATE);
                if (round(now) != r && released(m, r, now)) {
                    Thread.currentThread().interrupt();
                    return new Arrival(index, false, r);
                }
                breakRound(m, r, INTERRUPTED);
                throw e;
            }
        }
    }

    /** Breaks the round of state {@code s} if a party counted in it (or its action's runner) has died. */
    private void breakIfDead(MemorySegment m, long s) {
        if ((s & BROKEN) != 0) {
            return;
        }
        int n = Math.min(count(s), parties);
        for (int i = 0; i < n; i++) {
            long owner = Words.getLong(m, party(i));
            if (owner != 0 && !ProcessIdentity.isAliveRecently(owner)) {
                breakRound(m, round(s), (s & ACTION) != 0 && i == parties - 1 ? RUNNER_DIED : DIED);
                return;
            }
        }
    }

    /** {@return whether round {@code r}, which the state {@code s} has left, was released} */
    private static boolean released(MemorySegment m, long r, long s) {
        if (round(s) == r + 1) {
            return (s & PREVIOUS_RELEASED) != 0;
        }
        long o = Words.getLong(m, outcome(r));
        return o >>> 1 != r || (o & 1) != 0;
    }

    /**
     * Moves from the state {@code s} to the next round, after recording how the round before
     * {@code s}'s ended (the state says it, and is about to forget).
     */
    private static boolean advance(MemorySegment m, long s, boolean released) {
        long r = round(s);
        Words.setLong(m, outcome(r - 1), (r - 1) << 1 | ((s & PREVIOUS_RELEASED) != 0 ? 1 : 0));
        if (!Words.casLong(m, STATE, s, state(r + 1, released ? PREVIOUS_RELEASED : 0, 0))) {
            return false;
        }
        Words.addInt(m, EPOCH, 1);
        WaitStrategy.wake(m, EPOCH, WAITERS, Integer.MAX_VALUE);
        return true;
    }

    /** {@return false if round {@code r} was broken or reset first} */
    private boolean release(MemorySegment m, long r) {
        while (true) {
            long s = Words.getLong(m, STATE);
            if (round(s) != r || (s & BROKEN) != 0) {
                return false;
            }
            // The last word last: a waiter that finds its process dead before the round moves on
            // breaks the round rather than waiting for a release that will not come.
            for (int i = 0; i < parties - 1; i++) {
                Words.setLong(m, party(i), 0);
            }
            if (advance(m, s, true)) {
                Words.setLong(m, party(parties - 1), 0);
                return true;
            }
        }
    }

    private static void breakRound(MemorySegment m, long r, int why) {
        while (true) {
            long s = Words.getLong(m, STATE);
            if (round(s) != r || (s & BROKEN) != 0) {
                return;
            }
            if (Words.casLong(m, STATE, s, s & ~ACTION | BROKEN | (long) why << WHY_SHIFT)) {
                Words.addInt(m, EPOCH, 1);
                WaitStrategy.wake(m, EPOCH, WAITERS, Integer.MAX_VALUE);
                return;
            }
        }
    }

    @Override
    public void actionDone(long round, boolean succeeded) {
        MemorySegment m = memory();
        long s = Words.getLong(m, STATE);
        if (round(s) != round || (s & ACTION) == 0) {
            throw broken((s & BROKEN) != 0 ? BarrierDescriptor.why(s) : "the Barrier was reset while its action ran");
        }
        if (!succeeded) {
            breakRound(m, round, ACTION_FAILED);
        } else if (!release(m, round)) {
            throw broken(Words.getLong(m, STATE));
        }
    }

    @Override
    public void reset() {
        MemorySegment m = memory();
        while (true) {
            long s = Words.getLong(m, STATE);
            for (int i = 0; i < parties; i++) {
                Words.setLong(m, party(i), 0);
            }
            if (advance(m, s, false)) {
                return;
            }
        }
    }

    @Override
    public void abort() {
        MemorySegment m = memory();
        breakRound(m, round(Words.getLong(m, STATE)), ABORTED);
    }

    @Override
    public int nWaiting() {
        long s = settled();
        if ((s & BROKEN) != 0) {
            return 0;
        }
        return (s & ACTION) != 0 ? count(s) - 1 : Math.min(count(s), parties - 1);
    }

    @Override
    public boolean isBroken() {
        return (settled() & BROKEN) != 0;
    }

    /** {@return the state, after breaking it if a party counted in it has died (nobody else may be looking)} */
    private long settled() {
        MemorySegment m = memory();
        breakIfDead(m, Words.getLong(m, STATE));
        return Words.getLong(m, STATE);
    }

    private static BrokenBarrierException broken(long state) {
        return broken(BarrierDescriptor.why(state));
    }

    private static BrokenBarrierException broken(String why) {
        return new BrokenBarrierException("the Barrier is broken: " + why);
    }
}
