package org.multiprocessing4j;

import com.google.protobuf.ByteString;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.broker.EventServer;
import org.multiprocessing4j.internal.broker.FailureKind;
import org.multiprocessing4j.internal.broker.RemoteFailure;
import org.multiprocessing4j.internal.broker.RemoteRef;

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

    private final RemoteRef ref;

    /** A new event, not set, owned by this process. */
    public Event() {
        this.ref = RemoteRef.host(new EventServer());
    }

    /**
     * Sets the flag and wakes every process waiting for it.
     *
     * @throws ProcessGoneException if the event's owner process is gone
     */
    public void set() {
        now(EventServer.SET);
    }

    /**
     * Clears the flag: later waits block until it is set again.
     *
     * @throws ProcessGoneException if the event's owner process is gone
     */
    public void clear() {
        now(EventServer.CLEAR);
    }

    /**
     * Python's {@code is_set()}.
     *
     * @return whether the flag is set
     * @throws ProcessGoneException if the event's owner process is gone
     */
    public boolean isSet() {
        return now(EventServer.IS_SET).byteAt(0) == 1;
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
        try {
            return ref.call(EventServer.WAIT, ByteString.EMPTY, RemoteRef.timeoutNanos(timeout)).byteAt(0) == 1;
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.TIMEOUT) {
                return false;
            }
            throw LockSupport.translate(f);
        }
    }

    private ByteString now(int op) {
        try {
            return ref.callNow(op, ByteString.EMPTY);
        } catch (RemoteFailure f) {
            throw LockSupport.translate(f);
        }
    }

    @Override
    public String toString() {
        return "<Event of " + ref.ownerName() + " #" + ref.object() + ">";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Event other && other.ref.equals(ref);
    }

    @Override
    public int hashCode() {
        return ref.hashCode();
    }
}
