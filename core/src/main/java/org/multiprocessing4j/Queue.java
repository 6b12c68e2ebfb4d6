package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.spi.QueueBackend;

/**
 * A FIFO queue shared by processes: Python's {@code multiprocessing.Queue}.
 *
 * <p>The queue belongs to the process that created it (the broker keeps it there, a transport
 * may keep it in shared memory); a target that captures it uses the same queue in the child,
 * and so do grandchildren. Items are encoded with the context's
 * {@link Codec} by the producer (an item that cannot be encoded fails there, naming its class)
 * and decoded by the consumer. Items from one producer thread arrive in the order it put them.
 *
 * <p>A {@code put} returns once the item is in the owner's hands, so nothing is lost when the
 * producer then ends, and joining a producer whose items nobody consumed yet does not deadlock
 * (Python's documented trap). {@link #close()}, {@link #joinThread()} and
 * {@link #cancelJoinThread()} keep Python's contract, with nothing buffered to flush.
 *
 * <p>When the owner process is gone, every call fails with {@link ProcessGoneException}
 * instead of blocking.
 *
 * @param <E> the type of the items
 * @since 0.1
 */
public class Queue<E> implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Room in a frame for everything but the item. */
    static final int FRAME_OVERHEAD = 4096;

    /** The items, in the owner or in shared memory. @serial */

    private final QueueBackend backend;
    /** The bound, 0 for none. @serial */
    private final int maxsize;
    private transient volatile boolean closed;
    /**
     * The most bytes an encoded item put through this handle may have, for a pool's queues,
     * which cross its workers' links (its context's frames); 0 for this process's context's.
     */
    private final transient int maxItemBytes;

    /** An unbounded queue owned by this process. */
    public Queue() {
        this(0);
    }

    /**
     * A bounded queue owned by this process.
     *
     * @param maxsize the most items it holds; zero or less for no limit (as Python)
     */
    public Queue(int maxsize) {
        this(Math.max(0, maxsize), Primitives.queue(Math.max(0, maxsize)));
    }

    private Queue(int maxsize, QueueBackend backend) {
        this(maxsize, backend, 0);
    }

    private Queue(int maxsize, QueueBackend backend, int maxItemBytes) {
        this.maxsize = maxsize;
        this.backend = backend;
        this.maxItemBytes = maxItemBytes;
    }

    /**
     * An unbounded queue of the broker whatever the transport: for a pool's queues, whose items
     * are whole chunks (often larger than a native ring's slots) and whose consumers wait.
     *
     * @param maxFrameSize the frames of the links its items cross (the pool's context's), which
     *                     bound its items
     * @param <E> the type of the items
     * @return the queue, owned by this process
     */
    static <E> Queue<E> brokered(int maxFrameSize) {
        return new Queue<>(0, org.multiprocessing4j.internal.broker.BrokerQueue.create(0),
                maxFrameSize - FRAME_OVERHEAD);
    }

    /**
     * @param backend an existing queue's backend (a remote manager's)
     * @param maxsize its bound, as for {@link #Queue(int)}
     */
    Queue(QueueBackend backend, int maxsize) {
        this(Math.max(0, maxsize), backend, 0);
    }

    /**
     * Puts an item, waiting for room as long as it takes.
     *
     * @param item the item, may be null
     * @throws InterruptedException  if interrupted while waiting for room (the item was not put)
     * @throws CodecException        if the item cannot be encoded
     * @throws IllegalArgumentException if the encoded item is larger than the context's
     *                                  {@link Context#maxFrameSize()} allows
     * @throws IllegalStateException if this process closed the queue
     * @throws ProcessGoneException  if the owner is gone
     */
    public void put(@Nullable E item) throws InterruptedException {
        put(item, -1);
    }

    /**
     * Puts an item, waiting at most {@code timeout} for room.
     *
     * @param item    the item, may be null
     * @param timeout the longest wait; zero or negative does not wait
     * @throws Full                 if there was no room in time
     * @throws InterruptedException if interrupted while waiting (the item was not put)
     */
    public void put(@Nullable E item, Duration timeout) throws InterruptedException {
        put(item, Primitives.timeoutNanos(timeout));
    }

    /**
     * Puts an item if there is room now (Python's {@code put_nowait}).
     *
     * @param item the item, may be null
     * @throws Full if the queue is full
     */
    public void putNowait(@Nullable E item) {
        checkOpen();
        byte[] encoded = encode(item);
        boolean interrupted = Thread.interrupted();
        try {
            backend.put(encoded, 0);
        } catch (InterruptedException e) {
            interrupted = true;
            throw new Full("interrupted before the item could be put");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void put(@Nullable E item, long timeoutNanos) throws InterruptedException {
        checkOpen();
        backend.put(encode(item), timeoutNanos);
    }

    /**
     * Takes the oldest item, waiting as long as it takes.
     *
     * @return the item
     * @throws InterruptedException if interrupted while waiting (no item was taken)
     * @throws IllegalStateException if this process closed the queue (as Python's {@code ValueError})
     * @throws ProcessGoneException if the owner is gone
     */
    public @Nullable E get() throws InterruptedException {
        return get(-1);
    }

    /**
     * Takes the oldest item, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait; zero or negative does not wait
     * @return the item
     * @throws Empty                if none came in time
     * @throws InterruptedException if interrupted while waiting (no item was taken)
     */
    public @Nullable E get(Duration timeout) throws InterruptedException {
        return get(Primitives.timeoutNanos(timeout));
    }

    /**
     * Takes the oldest item if there is one now (Python's {@code get_nowait}).
     *
     * @return the item
     * @throws Empty if the queue is empty
     */
    public @Nullable E getNowait() {
        checkOpen();
        boolean interrupted = Thread.interrupted();
        try {
            return decode(backend.get(0));
        } catch (InterruptedException e) {
            interrupted = true;
            throw new Empty("interrupted before an item could be taken");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private @Nullable E get(long timeoutNanos) throws InterruptedException {
        checkOpen();
        return decode(backend.get(timeoutNanos));
    }

    /**
     * {@return the number of items now: exact on the broker, where the owner counts them; a
     * transport's queue may count a put in progress (the shared-memory one does)}
     */
    public int qsize() {
        return backend.size();
    }

    /** {@return whether the queue is empty now} */
    public boolean empty() {
        return qsize() == 0;
    }

    /**
     * {@return whether the queue is full now}: it holds {@code maxsize} items, or, unbounded,
     * as many as its transport holds at once (the shared-memory transport's unbounded queue
     * holds 32,768; the others have no such limit), so a put would wait
     */
    public boolean full() {
        int limit = maxsize > 0 ? maxsize : backend.capacity();
        return limit > 0 && qsize() >= limit;
    }

    /** {@return the bound given at creation, 0 for none} */
    public int maxsize() {
        return maxsize;
    }

    /**
     * Says that this process will use the queue no more: later puts and gets through this
     * process's handle fail with {@link IllegalStateException}, as Python's raise
     * {@code ValueError}. Other processes, and items already put, are not affected.
     */
    public void close() {
        closed = true;
    }

    /**
     * Python's {@code join_thread}: waits until everything this process put has reached the
     * owner. A put returns only once it has, so this returns at once.
     *
     * @throws IllegalStateException if {@link #close()} was not called first (as in Python)
     */
    public void joinThread() {
        if (!closed) {
            throw new IllegalStateException("Queue.joinThread() called before close()");
        }
    }

    /**
     * Python's {@code cancel_join_thread}: nothing to cancel, since puts are never buffered in
     * this process; kept so that ported code runs.
     */
    public void cancelJoinThread() {
        // Nothing is ever left buffered in this process.
    }

    /**
     * Frees the queue in its owner now rather than when the owner ends, if the backend can
     * ({@link org.multiprocessing4j.spi.Releasable}); later operations on it fail. For queues no
     * other process uses any more, such as a pool's after it ended.
     */
    void release() {
        if (backend instanceof org.multiprocessing4j.spi.Releasable r) {
            r.release();
        }
    }

    /**
     * {@return every item of a {@link #brokered} queue of this process, taken at once, oldest
     * first} No other process's get can take one in between, as it can between two {@link
     * #getNowait}s: a pool takes back what waits in a worker's inbox, which must be the newest
     * messages.
     *
     * @throws IllegalStateException if the queue is not one this process's broker hosts
     */
    List<@Nullable E> takeAllHere() {
        if (!(backend instanceof org.multiprocessing4j.internal.broker.BrokerQueue b)) {
            throw new IllegalStateException("not a brokered queue: " + backend);
        }
        List<@Nullable E> all = new java.util.ArrayList<>();
        for (byte[] item : b.takeAllHere()) {
            all.add(decode(item));
        }
        return all;
    }

    QueueBackend backend() {
        return backend;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed in this process");
        }
    }

    private byte[] encode(@Nullable Object item) {
        Context context = ProcessRuntime.current().context();
        byte[] encoded = context.codec().encode(item);
        int limit = maxItemBytes > 0 ? maxItemBytes : context.maxFrameSize() - FRAME_OVERHEAD;
        if (encoded.length > limit) {
            throw new IllegalArgumentException("an item of " + encoded.length + " bytes (class "
                    + (item == null ? "null" : item.getClass().getName()) + ") is more than the " + limit
                    + " the context's maxFrameSize allows; raise Context.Builder.maxFrameSize or put less");
        }
        return encoded;
    }

    @SuppressWarnings("unchecked") // the queue's items are E by construction
    private @Nullable E decode(byte[] data) {
        return (E) ProcessRuntime.current().context().codec().decode(data);
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " " + backend + (maxsize > 0 ? " maxsize=" + maxsize : "") + ">";
    }

    /**
     * No item came in time: Python's {@code queue.Empty}.
     *
     * @since 0.1
     */
    public static final class Empty extends MultiprocessingException {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what was empty
         */
        public Empty(String message) {
            super(message);
        }
    }

    /**
     * No room came in time: Python's {@code queue.Full}.
     *
     * @since 0.1
     */
    public static final class Full extends MultiprocessingException {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what was full
         */
        public Full(String message) {
            super(message);
        }
    }
}
