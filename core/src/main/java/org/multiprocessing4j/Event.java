package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.spi.EventBackend;

/**
 * A flag shared by processes that they can wait on: Python's {@code multiprocessing.Event}.
 * Python's {@code wait} is {@link #await()} here ({@code Object.wait} is final).
 *
 * <p>It lives in the process that created it; a target that captures it uses the same event in
 * the child. Waiting on an event whose owner process is gone throws
 * {@link ProcessGoneException}.
 *
 * @since 0.1
 */
public final class Event implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The flag, in its owner or in shared memory. @serial */

    private final EventBackend backend;

    /** A new event, not set, owned by this process. */
    public Event() {
        this.backend = Primitives.event();
    }

    /** @param backend an existing event's backend (a remote manager's) */
    Event(EventBackend backend) {
        this.backend = backend;
    }

    /**
     * Sets the flag and wakes every process waiting for it.
     *
     * @throws ProcessGoneException if the event's owner process is gone
     */
    public void set() {
        backend.set();
    }

    /**
     * Clears the flag: later waits block until it is set again.
     *
     * @throws ProcessGoneException if the event's owner process is gone
     */
    public void clear() {
        backend.clear();
    }

    /**
     * Python's {@code is_set()}.
     *
     * @return whether the flag is set
     * @throws ProcessGoneException if the event's owner process is gone
     */
    public boolean isSet() {
        return backend.isSet();
    }

    /**
     * Waits until the flag is set (Python's {@code wait()}).
     *
     * @return true
     * @throws InterruptedException if interrupted while waiting
     * @throws ProcessGoneException if the event's owner process is gone
     */
    public boolean await() throws InterruptedException {
        return await((Duration) null);
    }

    /**
     * Waits until the flag is set, at most {@code timeout} (Python's {@code wait(timeout)}).
     *
     * @param timeout the longest wait; zero or negative does not wait; null waits as long as it takes
     * @return whether the flag is set: false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     * @throws ProcessGoneException if the event's owner process is gone
     */
    public boolean await(@Nullable Duration timeout) throws InterruptedException {
        return backend.await(Primitives.timeoutNanos(timeout));
    }

    @Override
    public String toString() {
        return "<Event of " + backend + ">";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Event other && other.backend.equals(backend);
    }

    @Override
    public int hashCode() {
        return backend.hashCode();
    }

    /** {@return this event's backend} */
    EventBackend backend() {
        return backend;
    }
}
