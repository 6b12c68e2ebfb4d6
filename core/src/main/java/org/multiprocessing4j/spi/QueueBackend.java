package org.multiprocessing4j.spi;

import java.io.Serializable;

/**
 * What {@code Queue}, {@code SimpleQueue} and {@code JoinableQueue} call, with items already
 * encoded by the codec. A small serializable handle that works in any process of the tree and
 * from any thread; items from one producer thread are delivered in order, none lost or
 * duplicated while the queue's host lives.
 *
 * <p>Errors are the API's: {@code Queue.Empty}, {@code Queue.Full},
 * {@link IllegalStateException} (task accounting),
 * {@link org.multiprocessing4j.ProcessGoneException} when the queue's host is gone.
 *
 * @since 0.1
 */
public interface QueueBackend extends Serializable {

    /**
     * Puts an encoded item.
     *
     * @param item         the encoded item; the backend may keep the array
     * @param timeoutNanos negative: wait for room as long as it takes; zero: do not wait;
     *                     positive: the limit in nanoseconds
     * @throws org.multiprocessing4j.Queue.Full if there was no room in time
     * @throws InterruptedException if interrupted while waiting (the item was not put)
     */
    void put(byte[] item, long timeoutNanos) throws InterruptedException;

    /**
     * {@return the oldest encoded item, never null}
     *
     * @param timeoutNanos negative: wait as long as it takes; zero: do not wait; positive: the
     *                     limit in nanoseconds
     * @throws org.multiprocessing4j.Queue.Empty if none came in time
     * @throws InterruptedException if interrupted while waiting (no item was taken)
     */
    byte[] get(long timeoutNanos) throws InterruptedException;

    /** {@return the number of items now} */
    int size();

    /**
     * {@return the most items this backend holds at once when the queue has no {@code maxsize},
     * or 0 if it has no limit of its own}: a transport whose queues live in a fixed amount of
     * memory (the shared-memory transport's ring) says so, so that {@code Queue.full()} is true
     * exactly when a put would wait. The default, 0, is right for a queue that grows.
     */
    default int capacity() {
        return 0;
    }

    /**
     * Marks one task done (joinable queues).
     *
     * @throws IllegalStateException if called more times than items were put
     */
    void taskDone();

    /**
     * Waits until every item put was marked done (joinable queues).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void join() throws InterruptedException;
}
