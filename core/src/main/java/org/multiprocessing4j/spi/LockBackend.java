package org.multiprocessing4j.spi;

import java.io.Serializable;

/**
 * What {@code Lock} and {@code RLock} call. It travels to other processes with the lock (a
 * target that captures the lock carries it), so it is a small serializable handle; its methods
 * work in any process of the tree and from any thread. A lock's holder is a thread of a
 * process for a reentrant lock, and just "someone" for a plain one, which any thread of any
 * process may release.
 *
 * <p>Errors are the API's: {@link IllegalStateException} for a release that is not allowed,
 * {@link org.multiprocessing4j.ProcessGoneException} when the process that hosts the lock's
 * state is gone. When a holder dies, the lock passes on and the next acquirer is told on its
 * {@code System.err}.
 *
 * @since 0.1
 */
public interface LockBackend extends Serializable {

    /**
     * {@return whether the lock was acquired; false only when the time ran out}
     *
     * @param timeoutNanos negative: wait as long as it takes; zero: do not wait (and do not
     *                     throw {@link InterruptedException}); positive: the limit in nanoseconds
     * @throws InterruptedException if interrupted while waiting (the lock was not acquired)
     */
    boolean acquire(long timeoutNanos) throws InterruptedException;

    /**
     * Releases one hold.
     *
     * @throws IllegalStateException if the lock is free, or (reentrant) not held by this thread
     */
    void release();

    /** {@return whether any thread of any process holds the lock} */
    boolean isLocked();

    /** {@return whether the calling thread of this process holds the lock} */
    boolean isHeldByCurrentThread();

    /**
     * {@return the fencing token of the calling thread's hold}: one more than the token of the
     * hold before it, for every acquisition that finds the lock free (or takes it from a dead
     * holder); a reentrant lock's nested acquisitions keep the token. Tokens start at 1 and
     * never repeat for one lock. Transports written before tokens existed inherit this
     * default, which says they have none.
     *
     * @throws IllegalStateException         if the calling thread does not hold the lock
     * @throws UnsupportedOperationException if this transport's locks have no tokens
     */
    default long fencingToken() {
        throw new UnsupportedOperationException("the lock backend " + getClass().getName() + " has no fencing tokens");
    }

    /**
     * Releases every hold of the caller at once (one for a plain lock, the count for a
     * reentrant one), so that a condition can wait.
     *
     * @return the number of holds released
     */
    int releaseAll();

    /**
     * Acquires the lock again with {@code holds} holds, waiting as long as it takes, after a
     * condition's wait. Not interruptible: the interrupt flag is kept.
     *
     * @param holds what {@link #releaseAll()} returned
     */
    void reacquire(int holds);
}
