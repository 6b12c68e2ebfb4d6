package org.multiprocessing4j.ipc.sharedmem;

import static org.multiprocessing4j.ipc.sharedmem.SemaphoreDescriptor.BOUND;
import static org.multiprocessing4j.ipc.sharedmem.SemaphoreDescriptor.DIED;
import static org.multiprocessing4j.ipc.sharedmem.SemaphoreDescriptor.HOLDERS;
import static org.multiprocessing4j.ipc.sharedmem.SemaphoreDescriptor.HOLDER_COUNT;
import static org.multiprocessing4j.ipc.sharedmem.SemaphoreDescriptor.HOLDER_PROCESS;
import static org.multiprocessing4j.ipc.sharedmem.SemaphoreDescriptor.RECLAIMING;
import static org.multiprocessing4j.ipc.sharedmem.SemaphoreDescriptor.VALUE;
import static org.multiprocessing4j.ipc.sharedmem.SemaphoreDescriptor.WAITERS;
import static org.multiprocessing4j.ipc.sharedmem.SemaphoreDescriptor.holder;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import org.multiprocessing4j.spi.SemaphoreBackend;

/**
 * A {@code Semaphore} or {@code BoundedSemaphore} in shared memory ({@link SemaphoreDescriptor}):
 * permits taken by compare-and-set on the value, acquirers waiting on it with the JVM's
 * {@link WaitStrategy}.
 *
 * <p>Dead holders, for a {@code BoundedSemaphore} only (a {@code Semaphore} is a counter, as in
 * Python: a permit taken stays taken): each process counts, in its entry of the holder table, the permits it took
 * and has not given back itself. An acquirer that waits looks once a slice for entries of dead
 * processes, gives their permits back (never above a bounded semaphore's bound) and frees the
 * entry; the next acquirer is told. A process counts a permit before it takes it and uncounts
 * after it gives it back, so a process killed between the two steps has its permit given back
 * twice rather than lost (the bound still caps a bounded semaphore). Only {@value
 * SemaphoreDescriptor#HOLDERS} processes at a time are tracked; permits of a process beyond
 * that are not given back when it dies.
 *
 * <p>Not fair: a release does not hand its permit to the oldest waiter (the broker's does).
 */
final class SharedSemaphore extends SharedPrimitive implements SemaphoreBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String kind;

    private SharedSemaphore(SharedBlock block, String kind) {
        super(block);
        this.kind = kind;
    }

    /**
     * {@return a new semaphore owned by this process}
     *
     * @param value   the initial permits, at least 0
     * @param bounded true for a BoundedSemaphore, whose bound is {@code value}
     */
    static SharedSemaphore create(int value, boolean bounded) {
        SharedBlock block = SharedBlock.allocate(SemaphoreDescriptor.SIZE);
        MemorySegment m = block.memory();
        Words.setInt(m, BOUND, bounded ? value : -1);
        Words.setInt(m, VALUE, value);
        return new SharedSemaphore(block, bounded ? "BoundedSemaphore" : "Semaphore");
    }

    @Override
    public boolean acquire(long timeoutNanos) throws InterruptedException {
        MemorySegment m = memory();
        if (take(m)) {
            return true;
        }
        Waiting waiting = timeoutNanos == 0 ? null : new Waiting(timeoutNanos);
        if (waiting == null || waiting.checkDue()) {
            reclaimDeadThenCheckCreator(m);
        }
        while (true) {
            if (take(m)) {
                return true;
            }
            if (waiting == null || !waiting.pause(m, VALUE, WAITERS, 0)) {
                if (Words.getInt(m, VALUE) > 0) {
                    WaitStrategy.wake(m, VALUE, WAITERS, 1);
                }
                return false;
            }
            if (waiting.checkDue()) {
                reclaimDeadThenCheckCreator(m);
            }
        }
    }

    /**
     * In this order: a creator that holds permits and dies between the two steps must read as
     * "creator gone", not as a dead holder whose permits are free.
     */
    private void reclaimDeadThenCheckCreator(MemorySegment m) {
        reclaimDead(m);
        block.checkCreatorNow();
    }

    /** {@return whether a permit was taken (and counted as this process's)} */
    private boolean take(MemorySegment m) {
        int v = Words.getInt(m, VALUE);
        if (v <= 0) {
            return false;
        }
        long entry = Words.getInt(m, BOUND) >= 0 ? ownEntry(m) : -1;
        if (entry >= 0) {
            Words.addInt(m, entry + HOLDER_COUNT, 1);
        }
        while (v > 0) {
            if (Words.casInt(m, VALUE, v, v - 1)) {
                reportDeath(m);
                return true;
            }
            v = Words.getInt(m, VALUE);
        }
        if (entry >= 0) {
            Words.addInt(m, entry + HOLDER_COUNT, -1);
        }
        return false;
    }

    @Override
    public void release() {
        MemorySegment m = memory();
        int bound = Words.getInt(m, BOUND);
        while (true) {
            int v = Words.getInt(m, VALUE);
            if (bound >= 0 && v >= bound) {
                throw new IllegalStateException(kind + " released too many times: its bound is " + bound);
            }
            if (v == Integer.MAX_VALUE) {
                throw new IllegalStateException(kind + " released too many times: it holds at most "
                        + Integer.MAX_VALUE + " permits");
            }
            if (Words.casInt(m, VALUE, v, v + 1)) {
                break;
            }
        }
        if (bound >= 0) {
            uncount(m);
        }
        WaitStrategy.wake(m, VALUE, WAITERS, 1);
    }

    @Override
    public int value() {
        MemorySegment m = memory();
        return Words.getInt(m, VALUE);
    }

    /** A release by a process that counts permits takes one off its count; else it is a plain release. */
    private static void uncount(MemorySegment m) {
        long me = ProcessIdentity.current();
        for (int i = 0; i < HOLDERS; i++) {
            long entry = holder(i);
            if (Words.getLong(m, entry + HOLDER_PROCESS) == me) {
                int c = Words.getInt(m, entry + HOLDER_COUNT);
                while (c > 0 && !Words.casInt(m, entry + HOLDER_COUNT, c, c - 1)) {
                    c = Words.getInt(m, entry + HOLDER_COUNT);
                }
                if (c > 0) {
                    return;
                }
            }
        }
    }

    /** {@return the offset of this process's holder entry, claimed if need be; -1 if the table is full} */
    private static long ownEntry(MemorySegment m) {
        long me = ProcessIdentity.current();
        for (int i = 0; i < HOLDERS; i++) {
            if (Words.getLong(m, holder(i) + HOLDER_PROCESS) == me) {
                return holder(i);
            }
        }
        for (int i = 0; i < HOLDERS; i++) {
            if (Words.casLong(m, holder(i) + HOLDER_PROCESS, 0, me)) {
                return holder(i);
            }
        }
        return -1;
    }

    /** Gives back the permits of dead processes and frees their entries. */
    private static void reclaimDead(MemorySegment m) {
        int bound = Words.getInt(m, BOUND);
        for (int i = 0; i < HOLDERS; i++) {
            long entry = holder(i);
            long process = Words.getLong(m, entry + HOLDER_PROCESS);
            if (process == 0 || process == RECLAIMING || ProcessIdentity.isAlive(process)
                    || !Words.casLong(m, entry + HOLDER_PROCESS, process, RECLAIMING)) {
                continue;
            }
            int count = Words.swapInt(m, entry + HOLDER_COUNT, 0);
            if (count > 0) {
                while (true) {
                    int v = Words.getInt(m, VALUE);
                    int back = (int) Math.min(bound >= 0 ? bound : Integer.MAX_VALUE, (long) v + count);
                    if (Words.casInt(m, VALUE, v, back)) {
                        break;
                    }
                }
                Words.setLong(m, DIED, process);
                WaitStrategy.wake(m, VALUE, WAITERS, count);
            }
            Words.setLong(m, entry + HOLDER_PROCESS, 0);
        }
    }

    private void reportDeath(MemorySegment m) {
        long died = Words.getLong(m, DIED);
        if (died != 0 && Words.casLong(m, DIED, died, 0)) {
            System.err.println("multiprocessing4j: the semaphore " + block + " was acquired after "
                    + ProcessIdentity.describe(died) + " died holding permits, which were given back;"
                    + " what they protected may be inconsistent");
        }
    }
}
