package org.multiprocessing4j.ipc.sharedmem;

import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.CAPACITY;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.HEAD;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.JOIN_WAITERS;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.SOLO;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.TAIL;
import static org.multiprocessing4j.ipc.sharedmem.QueueDescriptor.UNFINISHED;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.BufferTooShortException;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.internal.CodecUse;
import org.multiprocessing4j.spi.QueueBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code Queue}, {@code SimpleQueue} or {@code JoinableQueue} in a segment of its own: a ring
 * of slots ({@link QueueDescriptor}) that producers and consumers of any process claim without
 * a lock ({@link Ring}), items of up to {@value SlotDescriptor#INLINE_MAX} bytes in the slot and
 * larger ones beside it, in reusable buffers of the same segment or in a segment of their own
 * ({@link Payload}).
 *
 * <p>A put returns once the item is in shared memory, so a producer that ends never loses what
 * it put, and joining it never waits for a consumer. Items of one producer thread keep their
 * order; none is lost or duplicated. A bounded queue has exactly {@code maxsize} slots; an
 * unbounded one has {@value QueueDescriptor#UNBOUNDED_CAPACITY}, and a put waits for room when
 * they are all taken (Python's never waits): {@code Queue.full()} then says so, a put that may
 * not wait fails with {@code Queue.Full} naming the limit and the remedy, and a put that has
 * waited {@link #PATIENCE_NANOS} logs a warning saying the same, once per handle. When the queue's creator has ended, every
 * operation fails with {@link org.multiprocessing4j.ProcessGoneException}, waiters within a
 * slice, as on the broker.
 *
 * <p>A pipe's two directions are solo rings of this class ({@link #createSolo}): the same slots
 * and payloads, one producer and one consumer at a time ({@link Ring}), no task count.
 *
 * <p>Tasks ({@code taskDone}, {@code join}) are counted in the segment: a put counts its task
 * just before it publishes the item, so a consumer never sees an item before its task counts.
 */
final class SharedQueue extends SharedPrimitive implements QueueBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int capacity;
    private final int maxsize;
    /** A pipe's direction: one producer and one consumer at a time ({@link Ring}'s solo rings). */
    private final boolean solo;
    /**
     * The queue's side area in this process, made by the first operation once it has checked
     * the segment's header against this handle (a handle's segment never changes); null before.
     * Immutable, so a racing thread makes an equal one.
     */
    private transient @Nullable SideArea side;
    /** In the creator's own handle: what it frees when garbage-collected ({@link Lifetime}); null elsewhere. */
    private transient @Nullable Lifetime lifetime;
    /** Frees the queues of {@link Lifetime}. */
    private static final Cleaner CLEANER = Cleaner.create(
            Thread.ofPlatform().daemon().name("multiprocessing4j-sharedmem-queues").factory());
    /** Whether this handle has warned of a put waiting on a full unbounded ring ({@link #warnFull}). */
    private transient volatile boolean warned;

    /** How long a put waits on a full unbounded ring before it warns; then it waits on. */
    static final long PATIENCE_NANOS = 10_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(SharedQueue.class);

    private SharedQueue(SharedBlock block, int capacity, int maxsize, boolean solo) {
        super(block);
        this.capacity = capacity;
        this.maxsize = maxsize;
        this.solo = solo;
    }

    /**
     * {@return a new empty queue owned by this process, or null if {@code maxsize} is beyond {@link
     * QueueDescriptor#MAX_CAPACITY} (the broker's queue then)}
     *
     * @param maxsize the most items held; 0 for no limit
     */
    static @Nullable SharedQueue create(int maxsize) {
        if (maxsize > QueueDescriptor.MAX_CAPACITY) {
            return null;
        }
        return create(maxsize == 0 ? QueueDescriptor.UNBOUNDED_CAPACITY : maxsize, maxsize, false);
    }

    /**
     * {@return a new empty solo ring for one direction of a pipe}: one producer and one consumer
     * at a time, which may be any processes that hold the ends; no task count
     *
     * @param capacity its number of slots
     */
    static SharedQueue createSolo(int capacity) {
        return create(capacity, capacity, true);
    }

    private static SharedQueue create(int capacity, int maxsize, boolean solo) {
        SharedBlock block = SharedBlock.allocateSegment(QueueDescriptor.size(capacity));
        MemorySegment m = block.memory();
        Words.setInt(m, CAPACITY, capacity);
        Words.setInt(m, SOLO, solo ? 1 : 0);
        SharedQueue q = new SharedQueue(block, capacity, maxsize, solo);
        q.lifetime = new Lifetime(block, capacity, maxsize, solo);
        CLEANER.register(q, q.lifetime);
        return q;
    }

    /** The handle is leaving this object (to another process, or anywhere): it may be used elsewhere. */
    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        Lifetime l = lifetime;
        if (l != null) {
            l.exported = true;
        }
        out.defaultWriteObject();
    }

    /**
     * What a queue (or a pipe's ring) frees once its creator's handle is garbage-collected. If
     * that handle was never encoded, no other process and no other object here can reach the
     * queue: its items are dropped (an item in a segment of its own is removed with it) and its
     * segment is unmapped and removed. Otherwise (another process may hold it, or an item on its
     * way may; or this JVM has a context with a codec of its own, {@link CodecUse}, which might
     * copy a handle's fields without Java serialization) only this process's mapping goes: the
     * file stays for the others until the root ends (a pipe's, until it is closed for good).
     * Without it every queue and pipe kept a file and its address space here until the root
     * ended, and a program that made them in a loop ran out of mappings (65,530 on Linux by
     * default) and crashed.
     */
    private static final class Lifetime implements Runnable {
        private final SharedBlock block;
        private final int capacity;
        private final int maxsize;
        private final boolean solo;
        volatile boolean exported;

        Lifetime(SharedBlock block, int capacity, int maxsize, boolean solo) {
            this.block = block;
            this.capacity = capacity;
            this.maxsize = maxsize;
            this.solo = solo;
        }

        @Override
        public void run() {
            if (exported || !CodecUse.onlyDefaultCodec()) {
                block.unmap(); // the file stays for whoever else holds the queue
                return;
            }
            try {
                SharedQueue view = new SharedQueue(block, capacity, maxsize, solo);
                byte[] item;
                do {
                    item = view.take(0);
                } while (item != null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the items' own segments then go at the root's exit
            } finally {
                block.free();
            }
        }
    }

    /** {@return whether this handle frees its queue when garbage-collected (it was never encoded); for tests} */
    boolean freedWhenUnreachable() {
        Lifetime l = lifetime;
        return l != null && !l.exported && CodecUse.onlyDefaultCodec();
    }

    @Override
    public void put(byte[] item, long timeoutNanos) throws InterruptedException {
        put(item, 0, item.length, timeoutNanos);
    }

    /**
     * Puts {@code length} bytes of {@code item} from {@code offset} as one item: copied into
     * shared memory before this returns, so the caller may reuse the array at once.
     *
     * @param item         the array
     * @param offset       where the item starts
     * @param length       its length
     * @param timeoutNanos negative: wait for room as long as it takes; zero: do not wait
     * @throws InterruptedException if interrupted while waiting (nothing was put)
     * @throws Queue.Full           if there was no room in time
     */
    void put(byte[] item, int offset, int length, long timeoutNanos) throws InterruptedException {
        put(item, offset, length, timeoutNanos, PATIENCE_NANOS);
    }

    /** {@link #put(byte[], int, int, long)}, warning after {@code patienceNanos} on a full unbounded ring. */
    void put(byte[] item, int offset, int length, long timeoutNanos, long patienceNanos) throws InterruptedException {
        try {
            MemorySegment m = ring();
            Payload payload = Payload.of(item, offset, length, side());
            boolean put = false;
            try {
                Ring ring = new Ring(m, capacity, block, unboundedWait(timeoutNanos) ? patienceNanos : timeoutNanos, solo);
                long pos = ring.claimPut();
                if (pos < 0 && unboundedWait(timeoutNanos)) {
                    warnFull();
                    ring = new Ring(m, capacity, block, timeoutNanos, solo);
                    pos = ring.claimPut();
                }
                if (pos < 0) {
                    throw new Queue.Full(maxsize > 0 ? "the queue is full (maxsize " + maxsize + ")" : ringFull());
                }
                try {
                    payload.writeTo(m, QueueDescriptor.slot(pos, capacity));
                    if (!solo) {
                        Words.addInt(m, UNFINISHED, 1);
                    }
                    ring.publish(pos);
                    put = true;
                } finally {
                    if (!put) {
                        ring.abandon(true);
                    }
                }
            } finally {
                if (!put) {
                    payload.discard();
                }
            }
        } finally {
            Reference.reachabilityFence(this); // its cleaner must not free the memory under a running call
        }
    }

    /**
     * Whether a put waits for room without a limit in an unbounded queue, where Python's would
     * never wait: such a put warns once it has waited {@link #PATIENCE_NANOS}, since a program
     * ported from Python may wait there for a consumer it starts only after its puts.
     */
    private boolean unboundedWait(long timeoutNanos) {
        return timeoutNanos < 0 && maxsize == 0 && !solo;
    }

    /** What an unbounded queue whose ring is full says: its limit, and how to have none. */
    private String ringFull() {
        return "the queue holds at most " + capacity + " items at once on the sharedmem transport"
                + " (an unbounded queue's ring), and they are all taken; a consumer must take some"
                + " first, or make the queue with a maxsize above " + QueueDescriptor.MAX_CAPACITY
                + " (new Queue<>(Integer.MAX_VALUE)): such a queue lives in its creator's memory,"
                + " without this limit";
    }

    private void warnFull() {
        if (!warned) {
            warned = true;
            LOG.warn("a put has waited {} ms for room: {}", PATIENCE_NANOS / 1_000_000L, ringFull());
        }
    }

    /** {@return whether this handle has warned of a put waiting on its full ring} */
    boolean warned() {
        return warned;
    }

    @Override
    public int capacity() {
        return solo ? 0 : capacity;
    }

    @Override
    public byte[] get(long timeoutNanos) throws InterruptedException {
        byte[] item = take(timeoutNanos);
        if (item == null) {
            throw new Queue.Empty("the queue is empty");
        }
        return item;
    }

    /**
     * {@return the oldest item, or null if there is none now}: a get that does not wait, for
     * callers that wait themselves (a pipe's receiver), without the cost of an exception
     */
    byte @Nullable [] poll() {
        try {
            Payload payload = pollPayload(null, 0);
            return payload == null ? null : payload.fetch();
        } finally {
            Reference.reachabilityFence(this); // its cleaner must not free the memory under a running call
        }
    }

    /**
     * Takes the oldest item, if there is one now, into {@code buf} from {@code offset}: straight
     * from shared memory, no array made on the way. A get that does not wait, as {@link #poll()}.
     *
     * @param buf    where the item goes
     * @param offset where in {@code buf}; the caller has checked it is within {@code buf}
     * @return the item's length, or -1 if there is none now
     * @throws BufferTooShortException if the item is longer than {@code buf} holds from
     *                                 {@code offset}: the item is taken all the same, and
     *                                 carried by the exception; {@code buf} is not written
     */
    int pollInto(byte[] buf, int offset) {
        try {
            Payload payload = pollPayload(buf, offset);
            if (payload == null) {
                return -1;
            }
            byte[] item = payload.fetch();
            if (item != buf) {
                throw BufferTooShortException.of(item, buf.length - offset, offset);
            }
            return payload.length();
        } finally {
            Reference.reachabilityFence(this); // its cleaner must not free the memory under a running call
        }
    }

    private @Nullable Payload pollPayload(byte @Nullable [] into, int offset) {
        try {
            return take(0, into, offset);
        } catch (InterruptedException e) {
            throw new AssertionError("a get that does not wait was interrupted", e);
        }
    }

    private byte @Nullable [] take(long timeoutNanos) throws InterruptedException {
        try {
            Payload payload = take(timeoutNanos, null, 0);
            return payload == null ? null : payload.fetch();
        } finally {
            Reference.reachabilityFence(this); // its cleaner must not free the memory under a running call
        }
    }

    private @Nullable Payload take(long timeoutNanos, byte @Nullable [] into, int offset)
            throws InterruptedException {
        MemorySegment m = ring();
        Ring ring = new Ring(m, capacity, block, timeoutNanos, solo);
        long pos = ring.claimGet();
        if (pos < 0) {
            return null;
        }
        Payload payload;
        try {
            payload = Payload.readFrom(m, QueueDescriptor.slot(pos, capacity), side(), into, offset);
        } catch (RuntimeException | Error e) {
            ring.abandon(false);
            throw e;
        }
        ring.free(pos);
        return payload;
    }

    @Override
    public int size() {
        try {
            MemorySegment m = ring();
            long head = Words.getLong(m, HEAD);
            long tail = Words.getLong(m, TAIL);
            return (int) Math.max(0, Math.min(capacity, tail - head));
        } finally {
            Reference.reachabilityFence(this); // its cleaner must not free the memory under a running call
        }
    }

    @Override
    public void taskDone() {
        try {
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
        } finally {
            Reference.reachabilityFence(this); // its cleaner must not free the memory under a running call
        }
    }

    @Override
    public void join() throws InterruptedException {
        try {
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
        } finally {
            Reference.reachabilityFence(this); // its cleaner must not free the memory under a running call
        }
    }

    /**
     * Whether the slot at the head holds an item now, without claiming it. A position whose
     * producer died mid-put reads as no item here (a get skips it).
     */
    boolean itemAtHead() {
        try {
            MemorySegment m = ring();
            long h = Words.getLong(m, HEAD);
            long slot = QueueDescriptor.slot(h, capacity);
            return Words.getLong(m, slot + SlotDescriptor.SEQUENCE) + Ring.base(slot) == 2 * h + 1;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Pauses once, for at most a slice, unless the slot at the head holds an item: woken by a
     * put there, or by {@link #wakeAtHead}.
     *
     * @param waiting the caller's wait
     * @return false if the wait's time has run out
     * @throws InterruptedException if the thread is interrupted
     */
    boolean pauseAtHead(Waiting waiting) throws InterruptedException {
        try {
            MemorySegment m = ring();
            long h = Words.getLong(m, HEAD);
            long slot = QueueDescriptor.slot(h, capacity);
            long stored = Words.getLong(m, slot + SlotDescriptor.SEQUENCE);
            if (stored + Ring.base(slot) == 2 * h + 1) {
                return true;
            }
            return waiting.pause(m, slot + SlotDescriptor.SEQUENCE, slot + SlotDescriptor.WAITERS, (int) stored);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Wakes whoever sleeps at the head, so that they look again at what else they wait for. */
    void wakeAtHead() {
        try {
            MemorySegment m = ring();
            long slot = QueueDescriptor.slot(Words.getLong(m, HEAD), capacity);
            WaitStrategy.wake(m, slot + SlotDescriptor.SEQUENCE, slot + SlotDescriptor.WAITERS, Integer.MAX_VALUE);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** {@return the side area; after {@link #ring()}, which makes it} */
    private SideArea side() {
        SideArea area = side;
        if (area == null) {
            throw new IllegalStateException("the side area of queue " + this + " is asked for before its segment");
        }
        return area;
    }

    /**
     * {@return the segment, its header checked against this handle on this handle's first use
     * in this process}
     */
    private MemorySegment ring() {
        MemorySegment m = memory();
        if (side == null) {
            int inSegment = Words.getInt(m, CAPACITY);
            int soloInSegment = Words.getInt(m, SOLO);
            if (inSegment != capacity || soloInSegment != (solo ? 1 : 0)) {
                throw new IllegalStateException("the shared memory of queue " + this + " says capacity=" + inSegment
                        + " solo=" + (soloInSegment == 1) + ", its handle says capacity=" + capacity + " solo="
                        + solo + ": not this queue's segment");
            }
            side = new SideArea(m, QueueDescriptor.side(capacity), capacity);
        }
        return m;
    }
}
