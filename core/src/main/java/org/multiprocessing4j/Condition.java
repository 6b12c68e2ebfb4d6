package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.spi.ConditionBackend;

/**
 * A condition variable shared by processes: Python's {@code multiprocessing.Condition}, bound
 * to a {@link Lock} or {@link RLock} (a new {@code RLock} by default).
 *
 * <p>Python's names in Java's shape: {@code wait} is {@link #await()}, {@code wait_for} is
 * {@link #awaitFor}, {@code notify} is {@link #signal()} and {@code notify_all} is
 * {@link #signalAll()} ({@code Object.wait} and {@code Object.notify} are final). Each of them
 * needs the lock held by the caller — for an {@code RLock} by the calling thread, for a
 * {@code Lock} by anyone, which is all a plain lock can tell — and throws
 * {@link IllegalStateException} otherwise.
 *
 * <p>Waiters are woken in the order they began to wait. A waiter that times out or is
 * interrupted never takes a wakeup meant for another: a signal counts only the waiters still
 * waiting, and an interrupted waiter that a signal reached first returns as woken, with its
 * interrupt flag set. A waiter whose process dies is dropped. Waiting on a condition whose
 * owner process is gone throws {@link ProcessGoneException}.
 *
 * @since 0.1
 */
public final class Condition implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The lock the condition is used with. @serial */

    private final LockSupport lock;
    /** The condition's waiters, in its owner. @serial */
    private final ConditionBackend backend;

    /** A new condition over a new {@link RLock}, owned by this process. */
    public Condition() {
        this(new RLock());
    }

    /**
     * A new condition over {@code lock}, owned by this process.
     *
     * @param lock the lock that guards the state this condition is about
     */
    public Condition(Lock lock) {
        this((LockSupport) lock);
    }

    /**
     * A new condition over {@code lock}, owned by this process.
     *
     * @param lock the lock that guards the state this condition is about
     */
    public Condition(RLock lock) {
        this((LockSupport) lock);
    }

    Condition(LockSupport lock) {
        this.lock = lock;
        this.backend = Primitives.condition(lock.backend());
    }

    /**
     * @param lock    the condition's lock
     * @param backend an existing condition's backend over that lock (a remote manager's)
     */
    Condition(LockSupport lock, ConditionBackend backend) {
        this.lock = lock;
        this.backend = backend;
    }

    /**
     * Acquires the underlying lock, as long as it takes.
     *
     * @return true
     */
    public boolean acquire() {
        return lock.acquire();
    }

    /**
     * Acquires the underlying lock if free, or as long as it takes when {@code block}.
     *
     * @param block whether to wait
     * @return whether it was acquired
     */
    public boolean acquire(boolean block) {
        return lock.acquire(block);
    }

    /**
     * Acquires the underlying lock, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return whether it was acquired
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean acquire(Duration timeout) throws InterruptedException {
        return lock.acquire(timeout);
    }

    /** Releases the underlying lock. */
    public void release() {
        lock.release();
    }

    /**
     * Acquires the underlying lock for a try-with-resources block, Python's {@code with cond:}.
     *
     * @return a handle whose {@code close()} releases the lock
     */
    public Held hold() {
        return lock.hold();
    }

    /**
     * Releases the lock, waits until signalled, and re-acquires the lock (Python's
     * {@code wait()}). The lock is held again when this returns or throws.
     *
     * @return true
     * @throws IllegalStateException if the caller does not hold the lock
     * @throws InterruptedException  if interrupted while waiting
     * @throws ProcessGoneException  if the condition's owner process is gone
     */
    public boolean await() throws InterruptedException {
        return await(null);
    }

    /**
     * Releases the lock, waits until signalled or until {@code timeout} passes, and re-acquires
     * the lock (Python's {@code wait(timeout)}). The lock is held again when this returns or
     * throws.
     *
     * @param timeout the longest wait; zero or negative does not wait; null waits as long as it takes
     * @return false if the time ran out, else true
     * @throws IllegalStateException if the caller does not hold the lock
     * @throws InterruptedException  if interrupted while waiting
     * @throws ProcessGoneException  if the condition's owner process is gone
     */
    public boolean await(@Nullable Duration timeout) throws InterruptedException {
        return awaitNanos(Primitives.timeoutNanos(timeout), true);
    }

    /**
     * Waits until {@code predicate} is true (Python's {@code wait_for(predicate)}).
     *
     * @param predicate evaluated in this process, holding the lock; need not be serializable
     * @return true
     * @throws IllegalStateException if the caller does not hold the lock and the predicate is
     *                               false at first (as in Python, a true one returns at once)
     * @throws InterruptedException  if interrupted while waiting
     */
    public boolean awaitFor(BooleanSupplier predicate) throws InterruptedException {
        return awaitFor(predicate, null);
    }

    /**
     * Waits until {@code predicate} is true or {@code timeout} passes (Python's
     * {@code wait_for(predicate, timeout)}): the predicate is checked first, then after each
     * wakeup.
     *
     * @param predicate evaluated in this process, holding the lock; need not be serializable
     * @param timeout   the longest wait; null waits as long as it takes
     * @return the predicate's last value
     * @throws IllegalStateException if the caller does not hold the lock and must wait (as in
     *                               Python, a predicate true at first returns at once)
     * @throws InterruptedException  if interrupted while waiting
     */
    public boolean awaitFor(BooleanSupplier predicate, @Nullable Duration timeout) throws InterruptedException {
        long nanos = Primitives.timeoutNanos(timeout);
        long deadline = System.nanoTime() + nanos;
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long wait = -1;
            if (nanos >= 0) {
                wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
            }
            awaitNanos(wait, true);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /**
     * Wakes the oldest waiter, if any (Python's {@code notify()}).
     *
     * @throws IllegalStateException if the caller does not hold the lock
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes the {@code n} oldest waiters, or all if fewer wait (Python's {@code notify(n)}).
     *
     * @param n how many
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException    if the caller does not hold the lock
     */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot notify a negative number of waiters: " + n);
        }
        checkHeld("notify on");
        backend.signal(n);
    }

    /**
     * Wakes every waiter (Python's {@code notify_all()}).
     *
     * @throws IllegalStateException if the caller does not hold the lock
     */
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    /**
     * The wait itself, once the caller is known to hold the lock.
     *
     * @param timeoutNanos  negative forever, zero not at all, else the limit
     * @param interruptible false to keep waiting through interrupts (the flag is kept)
     * @return whether it was signalled
     */
    boolean awaitNanos(long timeoutNanos, boolean interruptible) throws InterruptedException {
        checkHeld("wait on");
        return backend.await(timeoutNanos, interruptible);
    }

    private void checkHeld(String what) {
        if (!lock.isHeldByCaller()) {
            throw new IllegalStateException("cannot " + what + " un-acquired lock " + lock);
        }
    }

    @Override
    public String toString() {
        return "<Condition of " + backend + " over " + lock + ">";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Condition other && other.backend.equals(backend);
    }

    @Override
    public int hashCode() {
        return backend.hashCode();
    }

    /** {@return this condition's backend} */
    ConditionBackend backend() {
        return backend;
    }

    /** {@return the lock this condition is about} */
    LockSupport lock() {
        return lock;
    }
}
