package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * An unbounded FIFO queue shared by processes, with only Python's
 * {@code multiprocessing.SimpleQueue} methods.
 *
 * <p>It is an unbounded {@link Queue}, with that queue's one limit: on the {@code sharedmem}
 * transport it holds at most 32,768 items at once (a ring in shared memory), and a put beyond
 * that waits for a consumer, where Python's never waits. Where more must wait unread, use a
 * {@code new Queue<>(Integer.MAX_VALUE)}, which has no such limit.
 *
 * @param <E> the type of the items
 * @since 0.1
 */
public final class SimpleQueue<E> implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The queue that holds the items. @serial */

    private final Queue<E> queue = new Queue<>();

    /** An empty queue owned by this process. */
    public SimpleQueue() {
    }

    /**
     * Puts an item, waiting as long as the owner takes to accept it.
     *
     * @param item the item, may be null
     * @throws InterruptedException if interrupted
     * @throws CodecException       if the item cannot be encoded
     */
    public void put(@Nullable E item) throws InterruptedException {
        queue.put(item);
    }

    /**
     * Takes the oldest item, waiting as long as it takes.
     *
     * @return the item
     * @throws InterruptedException if interrupted while waiting
     */
    public @Nullable E get() throws InterruptedException {
        return queue.get();
    }

    /** {@return whether the queue is empty now} */
    public boolean empty() {
        return queue.empty();
    }

    /** Says that this process will use the queue no more: later puts and gets through it here fail. */
    public void close() {
        queue.close();
    }

    @Override
    public String toString() {
        return queue.toString().replace("<Queue", "<SimpleQueue");
    }
}
