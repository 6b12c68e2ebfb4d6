package org.multiprocessing4j.spi;

import java.io.Serializable;

/**
 * What {@code Condition} calls to wait and signal. It is made over the {@link LockBackend} of
 * the condition's lock ({@link NativePrimitives#condition(LockBackend)}), whose
 * {@link LockBackend#releaseAll()} and {@link LockBackend#reacquire(int)} it uses to let the
 * lock go while it waits; so a native condition works over a broker lock and the broker's
 * condition over a native lock. It travels to other processes with the condition, so it is a
 * small serializable handle; its methods work in any process of the tree and from any thread.
 *
 * <p>The caller has checked that it holds the lock (the API's rule: for an {@code RLock} the
 * calling thread, for a {@code Lock} anyone) before each call.
 *
 * <p>Waiters are woken in the order they began to wait. A waiter that times out or is
 * interrupted never takes a wakeup meant for another: a signal counts only the waiters still
 * waiting. A waiter whose process dies is dropped.
 *
 * <p>Errors are the API's: {@link org.multiprocessing4j.ProcessGoneException} when the
 * process that hosts the condition's state is gone; the lock's own errors pass through.
 *
 * @since 0.1
 */
public interface ConditionBackend extends Serializable {

    /**
     * Joins the waiters, releases every hold of the lock, waits until signalled or until the
     * time runs out, and re-acquires the lock with the holds it had. The lock is held again
     * when this returns or throws (except when releasing it failed, in which case the caller
     * still holds it and is no longer a waiter).
     *
     * @param timeoutNanos  negative: wait as long as it takes; zero: do not wait (but still
     *                      release and re-acquire the lock); positive: the limit in nanoseconds
     * @param interruptible false to keep waiting through interrupts, then return with the
     *                      interrupt flag set; true to leave the waiters on an interrupt
     * @return true if signalled, false if the time ran out. An interruptible waiter that a
     *         signal reached before it could leave returns true, with its interrupt flag set
     * @throws InterruptedException if interruptible and interrupted while waiting (not signalled)
     */
    boolean await(long timeoutNanos, boolean interruptible) throws InterruptedException;

    /**
     * Wakes the {@code n} oldest waiters, or every waiter if fewer wait.
     *
     * @param n how many, at least 0; {@link Integer#MAX_VALUE} for all
     */
    void signal(int n);
}
