package org.multiprocessing4j.ipc.sharedmem;

import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.GET_TURN;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.HEAD;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.PUT_TURN;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.TAIL;
import static org.multiprocessing4j.ipc.sharedmem.SlotDescriptor.OWNER;
import static org.multiprocessing4j.ipc.sharedmem.SlotDescriptor.SEQUENCE;
import static org.multiprocessing4j.ipc.sharedmem.SlotDescriptor.WAITERS;

import java.lang.foreign.MemorySegment;
import org.jspecify.annotations.Nullable;

/**
 * One claim on a queue's ring ({@link QueueDescriptor}, {@link SlotDescriptor}): a bounded
 * multi-producer multi-consumer ring after Dmitry Vyukov's, in which a slot's sequence says
 * whose turn it is, made robust against processes that die in the middle of a put or a get.
 *
 * <p><b>Owners.</b> A process claims a slot by compare-and-set of the slot's owner word (from 0,
 * or from a process found dead), checks that the slot's sequence and the tail (or head) are
 * still what it saw, and only then moves the tail (or head) on: so the tail moves only by the
 * owner of the slot at the tail, the head only by the owner of the slot at the head, and the
 * owner word always names the process in the middle of a step. It stays the owner until the
 * step is done: a producer until after it published (sequence {@code 2p + 1}), a consumer
 * until after it freed the slot (sequence {@code 2(p + capacity)}).
 *
 * <p><b>Deaths.</b> Whoever is blocked looks, once a wait slice (once, for an operation that
 * does not wait), whether the owner in its way is dead, and then takes the slot over from it by
 * compare-and-set, so exactly one process does:
 * <ul>
 * <li>a producer that died after claiming, before moving the tail: the next producer claims the
 *     slot in its place;</li>
 * <li>a producer that died before publishing: the consumer at the head skips the position (the
 *     item was never put: its put had not returned);</li>
 * <li>a producer that died after publishing: a consumer takes the item as usual;</li>
 * <li>a consumer that died after claiming, before moving the head: the next consumer takes the
 *     item in its place;</li>
 * <li>a consumer that died after moving the head: the item went with it (its get had taken it);
 *     the producer that needs the slot frees it.</li>
 * </ul>
 * The tail, the head and the owner word's return to 0 are release writes: no futex waiter
 * sleeps on them, and the compare-and-set that claims a slot orders the checks after them. The
 * sequence is written with a full fence, since a futex sleeper pairs with it.
 *
 * <p>A step undone after a failed check gives the owner word back to the process it was taken
 * from, so a dead process's mark is never lost.
 *
 * <p><b>Solo rings</b> (a pipe's direction: one producer and one consumer at a time, though any
 * process holding the end may be either) skip the slot owners. A producer takes the put turn
 * (a word on the tail's line, by compare-and-set from 0 or from a process found dead), writes
 * the item, publishes it, moves the tail and gives the turn back; a consumer does the same with
 * the get turn, the head and the slot's freeing. So one item crosses between two processes with
 * the slot's line alone: the turns, the tail and the head stay on lines that only one side
 * writes. A process that dies holding a turn leaves the ring as one of these:
 * <ul>
 * <li>a producer that died before publishing: the slot is still free for the tail's position,
 *     and the next producer writes there (the item was never put);</li>
 * <li>a producer that died after publishing, before moving the tail: the next producer finds
 *     the slot at the tail published and moves the tail on;</li>
 * <li>a consumer that died before freeing the slot: the item is still there for the next
 *     consumer (its get had not returned);</li>
 * <li>a consumer that died after freeing, before moving the head: the next consumer finds the
 *     slot at the head freed for a later lap and moves the head on.</li>
 * </ul>
 * A solo operation gives its turn back before it waits for room or for an item, so a blocked
 * receiver never keeps another holder of the end from receiving.
 *
 * <p><b>Waiting</b> is on the low 32 bits of the sequence of the slot in the way, which every
 * step changes; each change wakes the futex sleepers of that word when the slot's waiter count
 * is not 0 ({@link WaitStrategy#wake}).
 */
final class Ring {
    /** Spins on another process's step in progress before yielding. */
    private static final int SPINS = 64;
    /**
     * How long an operation that does not wait lets another process finish a step (a few
     * instructions, unless that process is descheduled) before it answers full or empty.
     */
    private static final long NOWAIT_STEP_NANOS = 1_000_000L;

    private final MemorySegment m;
    private final int capacity;
    private final SharedBlock block;
    private final long timeoutNanos;
    private final boolean solo;
    /** Made when the operation first has to wait: reading the clock costs more than a claim. */
    private @Nullable Waiting waiting;
    /** When an operation that does not wait first met a step in progress; 0 before. */
    private long stepStart;
    private final long me = ProcessIdentity.current();
    /** Whether this pass looks for dead owners (they cost a read of /proc each). */
    private boolean lookForDead;
    private boolean lookedOnce;
    private int spins;

    /**
     * @param m            the queue's memory
     * @param capacity     its number of slots
     * @param block        the queue's block, whose creator is checked while waiting
     * @param timeoutNanos negative: wait as long as it takes; zero: do not wait; positive: the limit
     * @param solo         whether this is a solo ring (one producer and one consumer at a time)
     */
    Ring(MemorySegment m, int capacity, SharedBlock block, long timeoutNanos, boolean solo) {
        this.m = m;
        this.capacity = capacity;
        this.block = block;
        this.timeoutNanos = timeoutNanos;
        this.solo = solo;
    }

    /** {@return the operation's wait, made on first use; null for an operation that does not wait} */
    private @Nullable Waiting waiting() {
        if (waiting == null && timeoutNanos != 0) {
            waiting = new Waiting(timeoutNanos);
        }
        return waiting;
    }

    /**
     * Claims the slot of the next position to put in; the caller writes the item there and
     * calls {@link #publish}.
     *
     * @return the position, or -1 if the ring stayed full
     * @throws InterruptedException if interrupted while waiting (nothing was claimed)
     */
    long claimPut() throws InterruptedException {
        if (solo) {
            return claimPutSolo();
        }
        while (true) {
            long t = Words.getLong(m, TAIL);
            long slot = QueueDescriptor.slot(t, capacity);
            long seq = sequence(slot);
            if (seq == 2 * t) {
                long owner = Words.getLong(m, slot + OWNER);
                if (owner == 0 || lookForDead && !ProcessIdentity.isAlive(owner)) {
                    if (claim(slot, owner, 2 * t, TAIL, t)) {
                        Words.setLongRelease(m, TAIL, t + 1);
                        return t;
                    }
                } else if (!stepInProgress()) {
                    return -1;
                }
            } else if (seq < 2 * t) {
                // The slot still holds position t - capacity: full, or its consumer died.
                if (!(lookForDead && freeAfterDeadConsumer(slot, seq, t)) && !blocked(slot, seq)) {
                    return -1;
                }
            }
            // else the tail moved on meanwhile
        }
    }

    /**
     * Claims the slot of the oldest item; the caller reads it and calls {@link #free}.
     *
     * @return the position, or -1 if the ring stayed empty
     * @throws InterruptedException if interrupted while waiting (nothing was taken)
     */
    long claimGet() throws InterruptedException {
        if (solo) {
            return claimGetSolo();
        }
        while (true) {
            long h = Words.getLong(m, HEAD);
            long slot = QueueDescriptor.slot(h, capacity);
            long seq = sequence(slot);
            if (seq == 2 * h + 1) {
                long owner = Words.getLong(m, slot + OWNER);
                if (owner == 0 || lookForDead && !ProcessIdentity.isAlive(owner)) {
                    if (claim(slot, owner, 2 * h + 1, HEAD, h)) {
                        Words.setLongRelease(m, HEAD, h + 1);
                        return h;
                    }
                } else if (!stepInProgress()) {
                    return -1;
                }
            } else if (seq == 2 * h && Words.getLong(m, TAIL) > h) {
                // A producer claimed position h and has not published it yet.
                long owner = Words.getLong(m, slot + OWNER);
                if (lookForDead && owner != 0 && !ProcessIdentity.isAlive(owner)) {
                    skipDeadProducer(slot, owner, h);
                } else if (!(timeoutNanos == 0 ? stepInProgress() : blocked(slot, seq))) {
                    return -1;
                }
            } else if (seq <= 2 * h && !blocked(slot, seq)) {
                return -1;
            }
        }
    }

    /**
     * Makes the item of a claimed position visible to consumers, and gives up the slot.
     *
     * @param pos what {@link #claimPut} returned
     */
    void publish(long pos) {
        long slot = QueueDescriptor.slot(pos, capacity);
        // Pairs with the consumer's read of the sequence in claimGet: the item's bytes,
        // written before, are visible once this is.
        setSequence(slot, 2 * pos + 1);
        if (solo) {
            Words.setLongRelease(m, TAIL, pos + 1);
            Words.setLongRelease(m, PUT_TURN, 0);
        } else {
            Words.setLongRelease(m, slot + OWNER, 0);
        }
        WaitStrategy.wake(m, slot + SEQUENCE, slot + WAITERS, Integer.MAX_VALUE);
    }

    /**
     * Gives up a claim without publishing or freeing (the caller failed between the two): in a
     * solo ring, gives the turn back, leaving the slot as it was.
     *
     * @param put whether the claim was a put's
     */
    void abandon(boolean put) {
        if (solo) {
            Words.setLongRelease(m, put ? PUT_TURN : GET_TURN, 0);
        }
    }

    /**
     * Frees the slot of a taken position for the producer one lap later, and gives it up.
     *
     * @param pos what {@link #claimGet} returned
     */
    void free(long pos) {
        free(QueueDescriptor.slot(pos, capacity), pos);
    }

    private void free(long slot, long pos) {
        // Sequence first: a consumer that dies between the two leaves its mark in the owner word
        // (in a solo ring, the head behind a freed slot).
        setSequence(slot, 2 * (pos + capacity));
        if (solo) {
            Words.setLongRelease(m, HEAD, pos + 1);
            Words.setLongRelease(m, GET_TURN, 0);
        } else {
            Words.setLongRelease(m, slot + OWNER, 0);
        }
        WaitStrategy.wake(m, slot + SEQUENCE, slot + WAITERS, Integer.MAX_VALUE);
    }

    /** {@link #claimPut} of a solo ring: the slot at the tail, under the put turn. */
    private long claimPutSolo() throws InterruptedException {
        while (true) {
            if (!takeTurn(PUT_TURN)) {
                return -1;
            }
            long t = Words.getLong(m, TAIL);
            long slot = QueueDescriptor.slot(t, capacity);
            long seq = sequence(slot);
            if (seq == 2 * t) {
                return t;
            }
            if (seq == 2 * t + 1) {
                // A producer died after publishing position t, before moving the tail.
                Words.setLongRelease(m, TAIL, t + 1);
                Words.setLongRelease(m, PUT_TURN, 0);
                continue;
            }
            // The slot still holds position t - capacity: full.
            Words.setLongRelease(m, PUT_TURN, 0);
            if (!blocked(slot, seq)) {
                return -1;
            }
        }
    }

    /** {@link #claimGet} of a solo ring: the slot at the head, under the get turn. */
    private long claimGetSolo() throws InterruptedException {
        while (true) {
            if (!takeTurn(GET_TURN)) {
                return -1;
            }
            long h = Words.getLong(m, HEAD);
            long slot = QueueDescriptor.slot(h, capacity);
            long seq = sequence(slot);
            if (seq == 2 * h + 1) {
                return h;
            }
            if (seq > 2 * h + 1) {
                // A consumer died after freeing position h, before moving the head.
                Words.setLongRelease(m, HEAD, h + 1);
                Words.setLongRelease(m, GET_TURN, 0);
                continue;
            }
            // Empty (or its producer is still writing it).
            Words.setLongRelease(m, GET_TURN, 0);
            if (!blocked(slot, seq)) {
                return -1;
            }
        }
    }

    /**
     * Takes a solo ring's turn: from 0, or from a process found dead; while another live
     * process (or thread) has it, spins and yields as for any step in progress.
     *
     * @return false if the time ran out
     */
    private boolean takeTurn(long turn) throws InterruptedException {
        while (true) {
            long holder = Words.getLong(m, turn);
            if (holder == 0 || lookForDead && holder != me && !ProcessIdentity.isAlive(holder)) {
                if (Words.casLong(m, turn, holder, me)) {
                    return true;
                }
            } else if (!stepInProgress()) {
                return false;
            }
        }
    }

    /** {@return the slot's sequence} */
    private long sequence(long slot) {
        return Words.getLong(m, slot + SEQUENCE) + base(slot);
    }

    private void setSequence(long slot, long seq) {
        Words.setLong(m, slot + SEQUENCE, seq - base(slot));
    }

    /** {@return what the sequence of the slot at this offset starts at, and is stored less} */
    static long base(long slot) {
        return 2 * ((slot - QueueDescriptor.SLOTS) / SlotDescriptor.SIZE);
    }

    /**
     * Takes the owner word from {@code from} (0 or a dead process), then checks that the slot and
     * the index are still as seen; if not, gives the word back to {@code from}.
     */
    private boolean claim(long slot, long from, long seq, long index, long pos) {
        if (!Words.casLong(m, slot + OWNER, from, me)) {
            return false;
        }
        if (sequence(slot) == seq && Words.getLong(m, index) == pos) {
            return true;
        }
        Words.setLong(m, slot + OWNER, from);
        return false;
    }

    /** A consumer died after moving the head past position {@code t - capacity}: free its slot. */
    private boolean freeAfterDeadConsumer(long slot, long seq, long t) {
        long owner = Words.getLong(m, slot + OWNER);
        if (owner == 0 || Words.getLong(m, HEAD) <= t - capacity || ProcessIdentity.isAlive(owner)
                || !Words.casLong(m, slot + OWNER, owner, me)) {
            return false;
        }
        if (sequence(slot) != seq) {
            Words.setLong(m, slot + OWNER, owner);
            return false;
        }
        free(slot, t - capacity);
        return true;
    }

    /** A producer died between claiming position {@code h} and publishing it: skip it. */
    private void skipDeadProducer(long slot, long owner, long h) {
        if (claim(slot, owner, 2 * h, HEAD, h)) {
            Words.setLongRelease(m, HEAD, h + 1);
            free(slot, h);
        }
    }

    /**
     * Another process is in the middle of a step of a few instructions: spin, then yield.
     *
     * @return false if the time ran out
     */
    private boolean stepInProgress() throws InterruptedException {
        if (++spins < SPINS) {
            Thread.onSpinWait();
            return true;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Waiting w = waiting();
        if (w == null) {
            if (stepStart == 0) {
                stepStart = System.nanoTime();
            } else if (System.nanoTime() - stepStart > NOWAIT_STEP_NANOS) {
                return false;
            }
        } else if (w.expired()) {
            return false;
        }
        lookForDead = deadCheckDue();
        Thread.yield();
        return true;
    }

    /**
     * The ring is full or empty at the slot: first one more pass that looks for dead owners, if
     * that is due, then a pause on the slot's sequence.
     *
     * @return false if the time ran out
     */
    private boolean blocked(long slot, long seq) throws InterruptedException {
        if (!lookForDead && deadCheckDue()) {
            lookForDead = true;
            return true;
        }
        lookForDead = false;
        Waiting w = waiting();
        return w != null && w.pause(m, slot + SEQUENCE, slot + WAITERS, (int) (seq - base(slot)));
    }

    /**
     * Once for an operation that does not wait; else once a slice from the end of the first
     * (a dead owner is rare, and reading {@code /proc} on every first wait would slow every
     * hand-over), when the creator is checked too.
     */
    private boolean deadCheckDue() {
        boolean first = !lookedOnce;
        lookedOnce = true;
        Waiting w = waiting();
        if (w == null) {
            return first;
        }
        if (w.checkDue() && !first) {
            block.checkCreatorNow();
            return true;
        }
        return false;
    }
}
