package org.multiprocessing4j.ipc.sharedmem;

import static org.multiprocessing4j.ipc.sharedmem.SideDescriptor.NEXT;
import static org.multiprocessing4j.ipc.sharedmem.SideDescriptor.OWNERS;
import static org.multiprocessing4j.ipc.sharedmem.SideDescriptor.QUEUED;
import static org.multiprocessing4j.ipc.sharedmem.SideDescriptor.SIZES;
import static org.multiprocessing4j.ipc.sharedmem.SideDescriptor.count;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

/**
 * The reusable buffers of a queue's segment ({@link SideDescriptor}) for items too large for a
 * slot: a producer takes a free buffer of the smallest class that fits, copies the item in,
 * puts the buffer's number in the slot; the consumer copies it out and frees the buffer. No
 * file operation and no system call on the way, unlike a segment per item. When every buffer
 * that fits is taken (a backlog of large items), a producer waits for a consumer to free one
 * as long as consumers make progress, which keeps a busy queue on buffers at the consumers'
 * pace; only when they stall does it make a segment of its own.
 *
 * <p>Deaths: a buffer owned by a process found dead is taken over (by a producer that found no
 * free one). A producer killed between marking its buffer queued and publishing the slot (two
 * adjacent writes) leaves the buffer queued for good: one buffer fewer until the root's exit.
 */
final class SideArea {
    /** How long a producer waits for a buffer while no consumer takes anything. */
    static final long STALL_NANOS = 20_000_000L;
    /** How long after a wait stalled producers of this JVM skip waiting. */
    static final long STARVED_NANOS = 100_000_000L;
    /** When a wait for a buffer last stalled in this JVM (a hint, shared by its queues); 0 never. */
    private static volatile long starvedAt;

    private final MemorySegment m;
    private final long base;
    private final int capacity;

    /**
     * @param m        the queue's memory
     * @param base     the area's offset in it
     * @param capacity the queue's number of slots
     */
    SideArea(MemorySegment m, long base, int capacity) {
        this.m = m;
        this.base = base;
        this.capacity = capacity;
    }

    /**
     * Takes a free buffer that holds {@code length} bytes, or one whose owner is dead.
     *
     * @param length the item's length
     * @return the buffer's number, or -1 if the item is larger than every class or no buffer
     *         of a class that fits is free
     */
    int take(int length) {
        int b = take(length, false);
        return b >= 0 ? b : take(length, true);
    }

    /**
     * Takes a free buffer that holds {@code length} bytes, waiting while consumers make
     * progress (the queue's head moves at least once in {@value #STALL_NANOS} ns) for one to be
     * freed; but not waiting at all while a wait of this JVM stalled in the last
     * {@value #STARVED_NANOS} ns (nobody consumes: the caller then uses a segment of its own at
     * once, rather than stalling for each item).
     *
     * @param length the item's length
     * @return the buffer's number, or -1 (no class fits, or the consumers stalled)
     */
    int takeOrWait(int length) {
        int b = take(length);
        if (b >= 0 || length > SIZES[SIZES.length - 1]) {
            return b;
        }
        long progress = System.nanoTime();
        long starved = starvedAt;
        if (starved != 0 && progress - starved < STARVED_NANOS) {
            return -1;
        }
        long head = Words.getLong(m, QueueDescriptor.HEAD);
        for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
            if (i < 64) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(10_000);
            }
            b = take(length, false);
            if (b >= 0) {
                return b;
            }
            long now = System.nanoTime();
            long h = Words.getLong(m, QueueDescriptor.HEAD);
            if (h != head) {
                head = h;
                progress = now;
            } else if (now - progress > STALL_NANOS) {
                starvedAt = now;
                return take(length, true);
            }
        }
        return -1;
    }

    private int take(int length, boolean lookForDead) {
        long me = ProcessIdentity.current();
        int first = 0;
        for (int k = 0; k < SIZES.length; k++) {
            int n = count(capacity, k);
            if (length <= SIZES[k]) {
                long start = Words.addLong(m, base + NEXT + 64L * k, 1);
                for (int i = 0; i < n; i++) {
                    int b = first + (int) Math.floorMod(start + i, (long) n);
                    long word = owner(b);
                    long owner = Words.getLong(m, word);
                    if ((owner == 0 || lookForDead && owner != QUEUED && !ProcessIdentity.isAliveRecently(owner))
                            && Words.casLong(m, word, owner, me)) {
                        return b;
                    }
                }
            }
            first += n;
        }
        return -1;
    }

    /** {@return the queue's memory, in which {@link #offset} points} */
    MemorySegment memory() {
        return m;
    }

    /** {@return the offset of buffer {@code b} in the queue's memory} */
    long offset(int b) {
        long offset = base + SideDescriptor.buffers(capacity);
        int first = 0;
        for (int k = 0; ; k++) {
            int n = count(capacity, k);
            if (b < first + n) {
                return offset + (long) (b - first) * SIZES[k];
            }
            offset += (long) n * SIZES[k];
            first += n;
        }
    }

    /** Marks a filled buffer as held by a slot; just before the slot is published. */
    void queued(int b) {
        Words.setLong(m, owner(b), QUEUED);
    }

    /**
     * Takes a buffer a slot held, for copying the item out.
     *
     * @throws IllegalStateException naming the buffer if it was not queued
     */
    void takeQueued(int b) {
        if (!Words.casLong(m, owner(b), QUEUED, ProcessIdentity.current())) {
            throw new IllegalStateException("buffer " + b + " of a queue's side area was not held by a slot: owner "
                    + Words.getLong(m, owner(b)));
        }
    }

    /** Frees a buffer. */
    void release(int b) {
        Words.setLongRelease(m, owner(b), 0);
    }

    private long owner(int b) {
        return base + OWNERS + 8L * b;
    }
}
