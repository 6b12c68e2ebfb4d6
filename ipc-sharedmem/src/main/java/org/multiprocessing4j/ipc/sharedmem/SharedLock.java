package org.multiprocessing4j.ipc.sharedmem;

import static org.multiprocessing4j.ipc.sharedmem.LockDescriptor.FENCE;
import static org.multiprocessing4j.ipc.sharedmem.LockDescriptor.HOLDS;
import static org.multiprocessing4j.ipc.sharedmem.LockDescriptor.OWNER;
import static org.multiprocessing4j.ipc.sharedmem.LockDescriptor.THREAD;
import static org.multiprocessing4j.ipc.sharedmem.LockDescriptor.WAITERS;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import org.multiprocessing4j.spi.LockBackend;

/**
 * A {@code Lock} or {@code RLock} in shared memory ({@link LockDescriptor}): a compare-and-set
 * on the owner word, then waiting on it with the JVM's {@link WaitStrategy}.
 *
 * <p>A robust lock: an acquirer that finds the owner word naming a process that is no longer
 * alive (checked once a wait slice, and once by an acquire that does not wait) takes the lock
 * from it by compare-and-set, so exactly one acquirer wins, and is told on its
 * {@code System.err} that what the lock protected may be inconsistent — the broker's rule.
 * When the lock's creator has ended, every operation fails with
 * {@link org.multiprocessing4j.ProcessGoneException}, also the broker's rule.
 *
 * <p>Not fair: a releasing thread does not hand the lock over; whoever sets the owner word
 * first after the release has it.
 */
final class SharedLock extends SharedPrimitive implements LockBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    private final boolean reentrant;

    private SharedLock(SharedBlock block, boolean reentrant) {
        super(block);
        this.reentrant = reentrant;
    }

    /**
     * {@return a new free lock owned by this process}
     *
     * @param reentrant true for an RLock
     */
    static SharedLock create(boolean reentrant) {
        return new SharedLock(SharedBlock.allocate(LockDescriptor.SIZE), reentrant);
    }

    @Override
    public boolean acquire(long timeoutNanos) throws InterruptedException {
        return acquire(timeoutNanos, 1);
    }

    private boolean acquire(long timeoutNanos, int holds) throws InterruptedException {
        MemorySegment m = memory();
        long me = ProcessIdentity.current();
        long thread = Thread.currentThread().threadId();
        long owner = Words.getLong(m, OWNER);
        if (owner == 0 && Words.casLong(m, OWNER, 0, me)) {
            took(m, thread, holds);
            return true;
        }
        if (reentrant && owner == me && Words.getLong(m, THREAD) == thread) {
            Words.setIntRelease(m, HOLDS, Words.getInt(m, HOLDS) + holds);
            return true;
        }
        return contended(m, me, thread, holds, timeoutNanos);
    }

    /**
     * The slow path. With {@link WaitStrategy#SPIN_THEN_FUTEX}, a waiter first watches the
     * owner word, taking the lock by compare-and-set whenever it reads free: spinning for
     * {@value WaitStrategy#SPIN_NANOS} ns, then yielding until {@value WaitStrategy#YIELD_NANOS}
     * ns, and again after each wake-up; only then does it sleep in futex (and announce itself,
     * so that releases make the wake-up call). Watching for a change of the word instead would
     * miss a release followed at once by the holder's next acquire (the word reads the same pid
     * again), and a sleeper makes every release of a busy holder pay a system call. Dead holders
     * and the creator are looked up once a slice, from the end of the first: a read of
     * {@code /proc} at the start of every contended acquire would cost more than the wait.
     */
    private boolean contended(MemorySegment m, long me, long thread, int holds, long timeoutNanos)
            throws InterruptedException {
        Waiting waiting = timeoutNanos == 0 ? null : new Waiting(timeoutNanos);
        boolean checked = false;
        boolean spinning = waiting != null && waiting.spinsFirst();
        long spinStart = System.nanoTime();
        for (int i = 1; ; i++) {
            long owner = Words.getLong(m, OWNER);
            if (owner == 0) {
                if (Words.casLong(m, OWNER, 0, me)) {
                    took(m, thread, holds);
                    return true;
                }
                continue;
            }
            if (waiting == null ? !checked : waiting.sliceOver()) {
                checked = true;
                // The creator is checked after the owner: when they are one process, dying
                // between the two checks must read as "creator gone", not as a dead holder.
                boolean ownerDied = !ProcessIdentity.isAlive(owner);
                block.checkCreatorNow();
                if (ownerDied && Words.casLong(m, OWNER, owner, me)) {
                    took(m, thread, holds);
                    System.err.println("multiprocessing4j: the lock " + block + " was acquired after its previous holder, "
                            + ProcessIdentity.describe(owner) + ", died holding it; what it protected may be inconsistent");
                    return true;
                }
                continue;
            }
            if (spinning) {
                long spent = (i & 15) == 0 || i > 64 ? System.nanoTime() - spinStart : 0;
                if (spent < WaitStrategy.SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (spent < WaitStrategy.YIELD_NANOS && !waiting.expired()) {
                    Thread.yield();
                } else {
                    spinning = false;
                    waiting.spun();
                }
                continue;
            }
            if (waiting == null || !waiting.pause(m, OWNER, WAITERS, (int) owner)) {
                passOnWakeup(m);
                return false;
            }
            // Woken (or a slice is over): spin again before the next sleep.
            spinning = waiting.spinsFirst();
            spinStart = System.nanoTime();
            i = 0;
        }
    }

    /**
     * Release writes: only the holder reads its thread and holds back for a decision (others
     * only compare the thread with their own id, which a stale value never matches), and the
     * owner word's compare-and-set that releases the lock orders them before it.
     */
    private static void took(MemorySegment m, long thread, int holds) {
        Words.setLongRelease(m, FENCE, Words.getLong(m, FENCE) + 1);
        Words.setLongRelease(m, THREAD, thread);
        Words.setIntRelease(m, HOLDS, holds);
    }

    /** A waiter that gives up may have swallowed a release's wake-up: it passes it on. */
    private static void passOnWakeup(MemorySegment m) {
        if (Words.getLong(m, OWNER) == 0) {
            WaitStrategy.wake(m, OWNER, WAITERS, 1);
        }
    }

    @Override
    public void release() {
        MemorySegment m = memory();
        if (reentrant) {
            checkHolder(m);
            int holds = Words.getInt(m, HOLDS);
            if (holds > 1) {
                Words.setIntRelease(m, HOLDS, holds - 1);
                return;
            }
        }
        free(m);
    }

    @Override
    public int releaseAll() {
        MemorySegment m = memory();
        if (!reentrant) {
            free(m);
            return 1;
        }
        checkHolder(m);
        int holds = Words.getInt(m, HOLDS);
        free(m);
        return holds;
    }

    @Override
    public void reacquire(int holds) {
        boolean interrupted = false;
        while (true) {
            try {
                acquire(-1, holds);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkHolder(MemorySegment m) {
        long owner = Words.getLong(m, OWNER);
        if (owner == 0) {
            throw unlocked();
        }
        if (owner != ProcessIdentity.current() || Words.getLong(m, THREAD) != Thread.currentThread().threadId()) {
            throw new IllegalStateException("cannot release an RLock held by another thread or process ("
                    + ProcessIdentity.describe(owner) + ")");
        }
    }

    private void free(MemorySegment m) {
        Words.setLongRelease(m, THREAD, 0);
        Words.setIntRelease(m, HOLDS, 0);
        while (true) {
            long owner = Words.getLong(m, OWNER);
            if (owner == 0) {
                throw unlocked();
            }
            if (Words.casLong(m, OWNER, owner, 0)) {
                break;
            }
        }
        WaitStrategy.wake(m, OWNER, WAITERS, 1);
    }

    private IllegalStateException unlocked() {
        return new IllegalStateException("release of an unlocked " + (reentrant ? "RLock" : "Lock"));
    }

    @Override
    public boolean isLocked() {
        MemorySegment m = memory();
        return Words.getLong(m, OWNER) != 0;
    }

    @Override
    public long fencingToken() {
        MemorySegment m = memory();
        long owner = Words.getLong(m, OWNER);
        if (owner != ProcessIdentity.current() || Words.getLong(m, THREAD) != Thread.currentThread().threadId()) {
            throw new IllegalStateException("no fencing token: the calling thread does not hold the "
                    + (reentrant ? "RLock" : "Lock") + (owner == 0 ? " (it is free)" : " (" + ProcessIdentity.describe(owner)
                    + " holds it)"));
        }
        return Words.getLong(m, FENCE);
    }

    @Override
    public boolean isHeldByCurrentThread() {
        MemorySegment m = memory();
        return Words.getLong(m, OWNER) == ProcessIdentity.current()
                && Words.getLong(m, THREAD) == Thread.currentThread().threadId();
    }
}
