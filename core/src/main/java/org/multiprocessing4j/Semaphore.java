package org.multiprocessing4j;

import com.google.protobuf.ByteString;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.broker.FailureKind;
import org.multiprocessing4j.internal.broker.LockServer;
import org.multiprocessing4j.internal.broker.RemoteFailure;
import org.multiprocessing4j.internal.broker.RemoteRef;
import org.multiprocessing4j.internal.broker.SemaphoreServer;

/**
 * A counting semaphore shared by processes: Python's {@code multiprocessing.Semaphore}.
 *
 * <p>It lives in the process that created it; a target that captures it uses the same
 * semaphore in the child. Any process may release it, and releasing more often than acquiring
 * raises the count (use {@link BoundedSemaphore} to forbid that). Waiting acquirers are served
 * in arrival order. When a process dies, the permits it acquired and did not release itself
 * come back, and the next acquirer is told on its {@code System.err} (where Python would lose
 * them).
 *
 * @since 0.1
 */
public sealed class Semaphore implements Serializable permits BoundedSemaphore {
    @Serial
    private static final long serialVersionUID = 1L;

    private final RemoteRef ref;

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
        this.ref = RemoteRef.host(new SemaphoreServer(value, bounded));
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
        try {
            return decode(ref.callNow(SemaphoreServer.ACQUIRE, ByteString.EMPTY));
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.TIMEOUT) {
                return false;
            }
            throw LockSupport.translate(f);
        }
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
        return acquire(RemoteRef.timeoutNanos(timeout));
    }

    /**
     * Gives a permit back (Python's {@code release()}); any process may.
     *
     * @throws IllegalStateException if this is a {@link BoundedSemaphore} already at its bound
     * @throws ProcessGoneException  if the semaphore's owner process is gone
     */
    public void release() {
        try {
            ref.callNow(SemaphoreServer.RELEASE, ByteString.EMPTY);
        } catch (RemoteFailure f) {
            throw LockSupport.translate(f);
        }
    }

    /**
     * Python's {@code get_value()}.
     *
     * @return the number of free permits now
     * @throws ProcessGoneException if the semaphore's owner process is gone
     */
    public int getValue() {
        try {
            return ref.callNow(SemaphoreServer.VALUE, ByteString.EMPTY).asReadOnlyByteBuffer().getInt();
        } catch (RemoteFailure f) {
            throw LockSupport.translate(f);
        }
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
        try {
            return decode(ref.call(SemaphoreServer.ACQUIRE, ByteString.EMPTY, timeoutNanos));
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.TIMEOUT) {
                return false;
            }
            throw LockSupport.translate(f);
        }
    }

    private boolean decode(ByteString answer) {
        if (answer.byteAt(0) == LockServer.GRANTED_OWNER_DIED) {
            String died = answer.substring(1).toString(StandardCharsets.UTF_8);
            System.err.println("multiprocessing4j: " + this + " acquired after " + died
                    + " died holding permits, which were given back; what they protected may be inconsistent");
        }
        return true;
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " of " + ref.ownerName() + " #" + ref.object() + ">";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Semaphore other && other.getClass() == getClass() && other.ref.equals(ref);
    }

    @Override
    public int hashCode() {
        return ref.hashCode();
    }
}
