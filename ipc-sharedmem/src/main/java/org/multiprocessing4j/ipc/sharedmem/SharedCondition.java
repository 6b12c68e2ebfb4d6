package org.multiprocessing4j.ipc.sharedmem;

import static org.multiprocessing4j.ipc.sharedmem.ConditionDescriptor.CAPACITY;
import static org.multiprocessing4j.ipc.sharedmem.ConditionDescriptor.IDLE;
import static org.multiprocessing4j.ipc.sharedmem.ConditionDescriptor.NEXT_TICKET;
import static org.multiprocessing4j.ipc.sharedmem.ConditionDescriptor.OWNER;
import static org.multiprocessing4j.ipc.sharedmem.ConditionDescriptor.SIGNALLED;
import static org.multiprocessing4j.ipc.sharedmem.ConditionDescriptor.STATE;
import static org.multiprocessing4j.ipc.sharedmem.ConditionDescriptor.TICKET;
import static org.multiprocessing4j.ipc.sharedmem.ConditionDescriptor.USED;
import static org.multiprocessing4j.ipc.sharedmem.ConditionDescriptor.WAITERS;
import static org.multiprocessing4j.ipc.sharedmem.ConditionDescriptor.WAITING;
import static org.multiprocessing4j.ipc.sharedmem.ConditionDescriptor.entry;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.spi.ConditionBackend;
import org.multiprocessing4j.spi.LockBackend;

/**
 * A {@code Condition} in shared memory ({@link ConditionDescriptor}) over the backend of its
 * lock, ours or the broker's. A waiter takes an entry of the table with a ticket while it holds
 * the lock, so no signal can pass between its joining and its releasing the lock; it then
 * sleeps on its own entry's state, which a signal moves to {@code SIGNALLED}: a signal wakes
 * the waiters it chose and nobody else.
 *
 * <p>Dead waiters: a signaller checks that the owner of an entry it is about to signal is
 * alive, and frees the entries of dead ones instead, so a signal goes to a live waiter. The
 * lock's own rules hold for the re-acquisition after a wait: a holder that died passes the
 * lock on with a warning. When the condition's creator has ended, operations fail with
 * {@link ProcessGoneException} (a waiter within a slice, holding the lock again).
 *
 * <p>At most {@value ConditionDescriptor#CAPACITY} threads wait at once; one more fails with
 * {@link IllegalStateException} before it lets the lock go.
 */
final class SharedCondition extends SharedPrimitive implements ConditionBackend {
    @Serial
    private static final long serialVersionUID = 1L;
    /** What an entry's owner word holds while a process frees a dead waiter's entry. */
    private static final long FREEING = -1;

    private final LockBackend lock;

    private SharedCondition(SharedBlock block, LockBackend lock) {
        super(block);
        this.lock = lock;
    }

    /**
     * {@return a new condition with no waiter, owned by this process}
     *
     * @param lock the backend of the condition's lock
     */
    static SharedCondition create(LockBackend lock) {
        return new SharedCondition(SharedBlock.allocate(ConditionDescriptor.SIZE), lock);
    }

    @Override
    public boolean await(long timeoutNanos, boolean interruptible) throws InterruptedException {
        MemorySegment m = memory();
        long e = join(m);
        int holds;
        try {
            holds = lock.releaseAll();
        } catch (RuntimeException failed) {
            leave(m, e);
            free(m, e);
            throw failed;
        }
        try {
            return waitForSignal(m, e, timeoutNanos, interruptible);
        } finally {
            free(m, e);
            lock.reacquire(holds);
        }
    }

    /**
     * {@return true if signalled; false if the time ran out}
     *
     * @throws InterruptedException if interruptible, interrupted, and not signalled
     */
    private boolean waitForSignal(MemorySegment m, long e, long timeoutNanos, boolean interruptible)
            throws InterruptedException {
        Waiting waiting = timeoutNanos == 0 ? null : new Waiting(timeoutNanos);
        boolean interrupted = false;
        try {
            while (true) {
                if (Words.getInt(m, e + STATE) == SIGNALLED) {
                    return true;
                }
                if (waiting == null || waiting.expired()) {
                    if (leave(m, e)) {
                        return false;
                    }
                    continue;
                }
                if (waiting.checkDue()) {
                    try {
                        block.checkCreatorNow();
                    } catch (ProcessGoneException gone) {
                        leave(m, e);
                        throw gone;
                    }
                }
                try {
                    waiting.pause(m, e + STATE, e + WAITERS, WAITING);
                } catch (InterruptedException stop) {
                    if (!interruptible) {
                        interrupted = true;
                    } else if (leave(m, e)) {
                        throw stop;
                    } else {
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void signal(int n) {
        MemorySegment m = memory();
        if (n <= 0) {
            return;
        }
        int used = Math.min(Words.getInt(m, USED), CAPACITY);
        List<long[]> waiting = new ArrayList<>();
        for (int i = 0; i < used; i++) {
            long e = entry(i);
            if (Words.getInt(m, e + STATE) == WAITING) {
                waiting.add(new long[] {Words.getLong(m, e + TICKET), e});
            }
        }
        waiting.sort(Comparator.comparingLong(w -> w[0]));
        int woken = 0;
        for (long[] w : waiting) {
            if (woken == n) {
                return;
            }
            long e = w[1];
            long owner = Words.getLong(m, e + OWNER);
            if (owner != FREEING && owner != 0 && !ProcessIdentity.isAlive(owner)) {
                freeDead(m, e, owner);
            } else if (Words.casInt(m, e + STATE, WAITING, SIGNALLED)) {
                WaitStrategy.wake(m, e + STATE, e + WAITERS, 1);
                woken++;
            }
        }
    }

    /**
     * Takes a free entry with the next ticket, while the caller holds the lock.
     *
     * @return the entry's offset
     * @throws IllegalStateException if every entry is taken by a live waiter
     */
    private static long join(MemorySegment m) {
        long me = ProcessIdentity.current();
        long e = take(m, me);
        if (e < 0) {
            for (int i = 0; i < CAPACITY; i++) {
                long owner = Words.getLong(m, entry(i) + OWNER);
                if (owner != 0 && owner != FREEING && !ProcessIdentity.isAlive(owner)) {
                    freeDead(m, entry(i), owner);
                }
            }
            e = take(m, me);
            if (e < 0) {
                throw new IllegalStateException("a shared-memory Condition has room for " + CAPACITY
                        + " waiting threads at once, and they are all taken");
            }
        }
        Words.setLong(m, e + TICKET, Words.addLong(m, NEXT_TICKET, 1));
        // Pairs with the signaller's read of the state: the ticket is visible once this is.
        Words.setInt(m, e + STATE, WAITING);
        return e;
    }

    /** {@return the offset of an entry now owned by {@code me}, or -1 if none is free} */
    private static long take(MemorySegment m, long me) {
        int used = Words.getInt(m, USED);
        for (int i = 0; i < Math.min(used, CAPACITY); i++) {
            if (Words.getLong(m, entry(i) + OWNER) == 0 && Words.casLong(m, entry(i) + OWNER, 0, me)) {
                return entry(i);
            }
        }
        while (used < CAPACITY) {
            if (Words.casInt(m, USED, used, used + 1) && Words.casLong(m, entry(used) + OWNER, 0, me)) {
                return entry(used);
            }
            used = Words.getInt(m, USED);
        }
        return -1;
    }

    /** {@return true if the waiter left; false if a signal reached it first} */
    private static boolean leave(MemorySegment m, long e) {
        return Words.casInt(m, e + STATE, WAITING, IDLE);
    }

    private static void free(MemorySegment m, long e) {
        Words.setInt(m, e + STATE, IDLE);
        Words.setLong(m, e + OWNER, 0);
    }

    /** Frees the entry of a dead waiter; the marker keeps a second freer from touching a reused entry. */
    private static void freeDead(MemorySegment m, long e, long owner) {
        if (Words.casLong(m, e + OWNER, owner, FREEING)) {
            Words.setInt(m, e + STATE, IDLE);
            Words.setLong(m, e + OWNER, 0);
        }
    }
}
