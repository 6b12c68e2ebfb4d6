package org.multiprocessing4j.ipc.sharedmem;

import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.CAPACITY;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.HEAD;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.JOIN_WAITERS;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.TAIL;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.UNFINISHED;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.spi.QueueBackend;

/**
 * A {@code Queue}, {@code SimpleQueue} or {@code JoinableQueue} in a segment of its own: a ring
 * of slots ({@link QueueDescriptor}) that producers and consumers of any process claim without
 * a lock ({@link Ring}), items of up to {@value SlotDescriptor#INLINE_MAX} bytes in the slot and
 * larger ones beside it ({@link Payload}).
 *
 * <p>A put returns once the item is in shared memory, so a producer that ends never loses what
 * it put, and joining it never waits for a consumer. Items of one producer thread keep their
 * order; none is lost or duplicated. A bounded queue has exactly {@code maxsize} slots; an
 * unbounded one has {@value QueueDescriptor#UNBOUNDED_CAPACITY}, and a put waits for room when
 * they are all taken (Python's never waits). When the queue's creator has ended, every
 * operation fails with {@link org.multiprocessing4j.ProcessGoneException}, waiters within a
 * slice, as on the broker.
 *
 * <p>Tasks ({@code taskDone}, {@code join}) are counted in the segment: a put counts its task
 * just before it publishes the item, so a consumer never sees an item before its task counts.
 */
final class SharedQueue extends SharedPrimitive implements QueueBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int capacity;
    private final int maxsize;

    private SharedQueue(SharedBlock block, int capacity, int maxsize) {
        super(block);
        this.capacity = capacity;
        this.maxsize = maxsize;
    }

    /**
     * @param maxsize the most items held; 0 for no limit
     * @return a new empty queue owned by this process, or null if {@code maxsize} is beyond
     *         {@link QueueDescriptor#MAX_CAPACITY} (the broker's queue then)
     */
    static @Nullable SharedQueue create(int maxsize) {
        if (maxsize > QueueDescriptor.MAX_CAPACITY) {
            return null;
        }
        int capacity = maxsize == 0 ? QueueDescriptor.UNBOUNDED_CAPACITY : maxsize;
        SharedBlock block = SharedBlock.allocateSegment(QueueDescriptor.size(capacity));
        MemorySegment m = block.memory();
        Words.setInt(m, CAPACITY, capacity);
        return new SharedQueue(block, capacity, maxsize);
    }

    @Override
    public void put(byte[] item, long timeoutNanos) throws InterruptedException {
        MemorySegment m = ring();
        Payload payload = Payload.of(item);
        boolean put = false;
        try {
            Ring ring = new Ring(m, capacity, block, timeoutNanos);
            long pos = ring.claimPut();
            if (pos < 0) {
                throw new Queue.Full(maxsize > 0 ? "the queue is full (maxsize " + maxsize + ")"
                        : "the queue's " + capacity + " slots are all taken");
            }
            payload.writeTo(m, QueueDescriptor.slot(pos, capacity));
            Words.addInt(m, UNFINISHED, 1);
            ring.publish(pos);
            put = true;
        } finally {
            if (!put) {
                payload.discard();
            }
        }
    }

    @Override
    public byte[] get(long timeoutNanos) throws InterruptedException {
        MemorySegment m = ring();
        Ring ring = new Ring(m, capacity, block, timeoutNanos);
        long pos = ring.claimGet();
        if (pos < 0) {
            throw new Queue.Empty("the queue is empty");
        }
        Payload payload = Payload.readFrom(m, QueueDescriptor.slot(pos, capacity));
        ring.free(pos);
        return payload.fetch();
    }

    @Override
    public int size() {
        MemorySegment m = ring();
        long head = Words.getLong(m, HEAD);
        long tail = Words.getLong(m, TAIL);
        return (int) Math.max(0, Math.min(capacity, tail - head));
    }

    @Override
    public void taskDone() {
        MemorySegment m = ring();
        while (true) {
            int unfinished = Words.getInt(m, UNFINISHED);
            if (unfinished <= 0) {
                throw new IllegalStateException("taskDone() called more times than there were items put");
            }
            if (Words.casInt(m, UNFINISHED, unfinished, unfinished - 1)) {
                if (unfinished == 1) {
                    WaitStrategy.wake(m, UNFINISHED, JOIN_WAITERS, Integer.MAX_VALUE);
                }
                return;
            }
        }
    }

    @Override
    public void join() throws InterruptedException {
        MemorySegment m = ring();
        Waiting waiting = new Waiting(-1);
        while (true) {
            int unfinished = Words.getInt(m, UNFINISHED);
            if (unfinished == 0) {
                return;
            }
            if (waiting.checkDue()) {
                block.checkCreatorNow();
            }
            waiting.pause(m, UNFINISHED, JOIN_WAITERS, unfinished);
        }
    }

    /** @return the segment, checked against this handle */
    private MemorySegment ring() {
        MemorySegment m = memory();
        int inSegment = Words.getInt(m, CAPACITY);
        if (inSegment != capacity) {
            throw new IllegalStateException("the shared memory of queue " + this + " says capacity=" + inSegment
                    + ", its handle says capacity=" + capacity + ": not this queue's segment");
        }
        return m;
    }
}
