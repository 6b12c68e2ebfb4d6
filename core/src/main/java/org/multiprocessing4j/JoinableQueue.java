package org.multiprocessing4j;

import java.io.Serial;
import org.multiprocessing4j.spi.QueueBackend;

/**
 * A {@link Queue} that counts unfinished tasks: Python's {@code multiprocessing.JoinableQueue}.
 * Every put adds a task; a consumer calls {@link #taskDone()} for each item it has processed,
 * and {@link #join()} waits until the count is back to zero.
 *
 * @param <E> the type of the items
 * @since 0.1
 */
public final class JoinableQueue<E> extends Queue<E> {
    @Serial
    private static final long serialVersionUID = 1L;

    /** An unbounded joinable queue owned by this process. */
    public JoinableQueue() {
        super();
    }

    /**
     * A joinable queue that holds at most {@code maxsize} items, hosted by this process.
     *
     * @param maxsize the most items it holds; zero or less for no limit
     */
    public JoinableQueue(int maxsize) {
        super(maxsize);
    }

    /**
     * @param backend an existing joinable queue's backend (a remote manager's)
     * @param maxsize its bound
     */
    JoinableQueue(QueueBackend backend, int maxsize) {
        super(backend, maxsize);
    }

    /**
     * Marks one task done.
     *
     * @throws IllegalStateException if called more times than items were put (as Python's
     *                               {@code ValueError})
     */
    public void taskDone() {
        backend().taskDone();
    }

    /**
     * Waits until every item put was marked done.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws ProcessGoneException if the owner is gone
     */
    public void join() throws InterruptedException {
        backend().join();
    }
}
