package org.multiprocessing4j.spi;

import java.io.Serializable;

/**
 * What {@code Semaphore} and {@code BoundedSemaphore} call. It travels to other processes with
 * the semaphore (a target that captures it carries it), so it is a small serializable handle;
 * its methods work in any process of the tree and from any thread, and never return null.
 *
 * <p>Waiting acquirers should be served in arrival order where the transport can keep a line
 * (the broker's and the cluster's do; shared memory's does not promise it, nor does Python). A
 * plain semaphore's permits are taken for good, as in Python. A bounded one's are held: when
 * a process dies, the permits it acquired and did not release itself come back (never above
 * the bound), and the next acquirer is told on its {@code System.err} that what they
 * protected may be inconsistent.
 *
 * <p>Errors are the API's: {@link IllegalStateException} for a release past the bound of a
 * bounded semaphore (its message names the bound, {@code "bound is N"}) or past
 * {@link Integer#MAX_VALUE},
 * {@link org.multiprocessing4j.ProcessGoneException} when the process that hosts the
 * semaphore's state is gone.
 *
 * @since 0.1
 */
public interface SemaphoreBackend extends Serializable {

    /**
     * Takes one permit.
     *
     * @param timeoutNanos negative: wait as long as it takes; zero: do not wait (and do not
     *                     throw {@link InterruptedException}); positive: the limit in nanoseconds
     * @return whether a permit was taken; false only when the time ran out
     * @throws InterruptedException if interrupted while waiting (no permit was taken)
     */
    boolean acquire(long timeoutNanos) throws InterruptedException;

    /** Gives one permit back; any process may, whether or not it acquired one. */
    void release();

    /** {@return the number of free permits now} */
    int value();
}
