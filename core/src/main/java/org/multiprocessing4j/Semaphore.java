package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.spi.SemaphoreBackend;

/**
 * A counting semaphore shared by processes: Python's {@code multiprocessing.Semaphore}.
 *
 * <p>It lives in the process that created it; a target that captures it uses the same
 * semaphore in the child. Any process may release it, and releasing more often than acquiring
 * raises the count (use {@link BoundedSemaphore} to forbid that). As in Python, a permit a
 * process acquires is taken for good, whether that process then ends or dies: it may be a
 * signal consumed. A {@link BoundedSemaphore}, which guards a resource, gives back the permits
 * of a process that dies holding them. The broker's and the cluster's semaphores serve waiting
 * acquirers in arrival order; shared memory's do not promise an order (nor does Python).
 *
 * @since 0.1
 */
public sealed class Semaphore implements Serializable permits BoundedSemaphore {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The permits, in the owner or in shared memory. @serial */

    private final SemaphoreBackend backend;

    /**
     * A new semaphore owned by this process.
     *
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        this(value, false);
    }

    Semaphore(int value, boolean bounded) {
        if (value < 0) {
            throw new IllegalArgumentException("a semaphore's initial value must be >= 0, not " + value);
        }
        this.backend = Primitives.semaphore(value, bounded);
    }

    /** @param backend an existing semaphore's backend (a remote manager's) */
    Semaphore(SemaphoreBackend backend) {
        this.backend = backend;
    }

    /**
     * Takes a permit, waiting as long as it takes (Python's {@code acquire()}); not
     * interruptible (the interrupt flag is kept).
     *
     * @return true
     * @throws ProcessGoneException if the semaphore's owner process is gone
     */
    public boolean acquire() {
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
        return true;
    }

    /**
     * Takes a permit if one is free now (Python's {@code acquire(block=False)}) or, when
     * {@code block} is true, waiting as long as it takes.
     *
     * @param block whether to wait
     * @return whether a permit was taken
     * @throws ProcessGoneException if the semaphore's owner process is gone
     */
    public boolean acquire(boolean block) {
        if (block) {
            return acquire();
        }
        return Primitives.withoutWaiting(() -> backend.acquire(0));
    }

    /**
     * Takes a permit, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait; zero or negative does not wait
     * @return whether a permit was taken
     * @throws InterruptedException if interrupted while waiting
     * @throws ProcessGoneException if the semaphore's owner process is gone
     */
    public boolean acquire(Duration timeout) throws InterruptedException {
        return acquire(Primitives.timeoutNanos(timeout));
    }

    /**
     * Gives a permit back (Python's {@code release()}); any process may.
     *
     * @throws IllegalStateException if this is a {@link BoundedSemaphore} already at its bound,
     *                               or the count is already {@link Integer#MAX_VALUE} (Python's
     *                               {@code ValueError}: released too many times)
     * @throws ProcessGoneException  if the semaphore's owner process is gone
     */
    public void release() {
        backend.release();
    }

    /**
     * Python's {@code get_value()}.
     *
     * @return the number of free permits now
     * @throws ProcessGoneException if the semaphore's owner process is gone
     */
    public int getValue() {
        return backend.value();
    }

    /**
     * Takes a permit for a try-with-resources block, Python's {@code with semaphore:}.
     *
     * @return a handle whose {@code close()} gives the permit back
     * @throws ProcessGoneException if the semaphore's owner process is gone
     */
    public Held hold() {
        acquire();
        return this::release;
    }

    private boolean acquire(long timeoutNanos) throws InterruptedException {
        return backend.acquire(timeoutNanos);
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " of " + backend + ">";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Semaphore other && other.getClass() == getClass() && other.backend.equals(backend);
    }

    @Override
    public int hashCode() {
        return backend.hashCode();
    }

    /** {@return this semaphore's backend} */
    SemaphoreBackend backend() {
        return backend;
    }
}
