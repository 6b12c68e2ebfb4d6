package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.spi.LockBackend;

/**
 * What {@link Lock} and {@link RLock} share: the calls to the owner, Python's names and
 * {@link java.util.concurrent.locks.Lock}'s.
 */
abstract sealed class LockSupport implements java.util.concurrent.locks.Lock, Serializable permits Lock, RLock {
    @Serial
    private static final long serialVersionUID = 1L;

    private final LockBackend backend;

    LockSupport(boolean reentrant) {
        this.backend = Primitives.lock(reentrant);
    }

    /** @param backend an existing lock's backend (a remote manager's) */
    LockSupport(LockBackend backend) {
        this.backend = backend;
    }

    /**
     * Acquires the lock, waiting as long as it takes (Python's {@code acquire()}); not
     * interruptible, like {@link #lock()}.
     *
     * @return true
     * @throws ProcessGoneException if the lock's owner process is gone
     */
    public boolean acquire() {
        lock();
        return true;
    }

    /**
     * Acquires the lock if it is free now (Python's {@code acquire(block=False)}) or, when
     * {@code block} is true, waiting as long as it takes.
     *
     * @param block whether to wait
     * @return whether the lock was acquired
     * @throws ProcessGoneException if the lock's owner process is gone
     */
    public boolean acquire(boolean block) {
        if (block) {
            lock();
            return true;
        }
        return tryLock();
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait; zero or negative does not wait
     * @return whether the lock was acquired
     * @throws InterruptedException if interrupted while waiting
     * @throws ProcessGoneException if the lock's owner process is gone
     */
    public boolean acquire(Duration timeout) throws InterruptedException {
        return acquire(Primitives.timeoutNanos(timeout));
    }

    /**
     * Releases the lock (Python's {@code release()}).
     *
     * @throws IllegalStateException if it is not held (or, for an {@link RLock}, not held by
     *                               this thread)
     */
    public void release() {
        unlock();
    }

    /**
     * Acquires the lock for a try-with-resources block, Python's {@code with lock:}.
     * <pre>{@code
     * try (var _ = lock.hold()) {
     *     System.out.println("Critical section!");
     * }
     * }</pre>
     *
     * @return a handle whose {@code close()} releases the lock
     * @throws ProcessGoneException if the lock's owner process is gone
     */
    public Held hold() {
        lock();
        return this::unlock;
    }

    @Override
    public void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                acquire(-1);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquire(-1);
    }

    @Override
    public boolean tryLock() {
        return Primitives.withoutWaiting(() -> backend.acquire(0));
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return acquire(Primitives.timeoutNanos(Duration.of(time, unit.toChronoUnit())));
    }

    @Override
    public void unlock() {
        backend.release();
    }

    /**
     * A {@link java.util.concurrent.locks.Condition} bound to this lock: a view of a new
     * process {@link Condition} over it, usable from any process it is passed to. Its methods
     * throw {@link IllegalMonitorStateException} when the lock is not held (for a plain
     * {@link Lock}: not held by anyone).
     *
     * @return a new condition
     */
    @Override
    public java.util.concurrent.locks.Condition newCondition() {
        return new ConditionView(new Condition(this));
    }

    /** {@return whether some thread of some process holds the lock now} */
    public boolean isLocked() {
        return backend.isLocked();
    }

    /**
     * {@return the fencing token of the calling thread's hold}: a number that grows with every
     * acquisition of this lock, by any thread of any process (a reentrant lock's nested
     * acquisitions keep their hold's token). Not in Python. Pass it along with every write to
     * a resource the lock protects, and have the resource refuse a token smaller than the
     * largest it has seen: then a holder that lost its hold without knowing it (a process
     * paused past the cluster's failure detection on the {@code hazelcast} transport, whose
     * lock then passed to another) cannot overwrite what the next holder wrote.
     *
     * @throws IllegalStateException if the calling thread does not hold the lock
     * @throws ProcessGoneException  if the lock's owner process is gone
     * @since 0.1
     */
    public long fencingToken() {
        return backend.fencingToken();
    }

    /** {@return the backend of this lock} */
    LockBackend backend() {
        return backend;
    }

    /** {@return whether the caller holds the lock: for an RLock this thread, for a Lock anyone} */
    boolean isHeldByCaller() {
        return this instanceof RLock ? backend.isHeldByCurrentThread() : backend.isLocked();
    }

    private boolean acquire(long timeoutNanos) throws InterruptedException {
        return backend.acquire(timeoutNanos);
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " " + backend + ">";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof LockSupport other && other.getClass() == getClass() && other.backend.equals(backend);
    }

    @Override
    public int hashCode() {
        return backend.hashCode();
    }
}
