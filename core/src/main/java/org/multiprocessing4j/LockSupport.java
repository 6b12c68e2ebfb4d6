package org.multiprocessing4j;

import com.google.protobuf.ByteString;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.broker.FailureKind;
import org.multiprocessing4j.internal.broker.LockServer;
import org.multiprocessing4j.internal.broker.RemoteFailure;
import org.multiprocessing4j.internal.broker.RemoteRef;

/**
 * What {@link Lock} and {@link RLock} share: the calls to the owner, Python's names and
 * {@link java.util.concurrent.locks.Lock}'s.
 */
abstract sealed class LockSupport implements java.util.concurrent.locks.Lock, Serializable permits Lock, RLock {
    @Serial
    private static final long serialVersionUID = 1L;

    private final RemoteRef ref;

    LockSupport(boolean reentrant) {
        this.ref = RemoteRef.host(new LockServer(reentrant));
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
        return acquire(RemoteRef.timeoutNanos(timeout));
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
        try {
            return decode(ref.callNow(LockServer.ACQUIRE, ByteString.EMPTY));
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.TIMEOUT) {
                return false;
            }
            throw translate(f);
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return acquire(RemoteRef.timeoutNanos(Duration.of(time, unit.toChronoUnit())));
    }

    @Override
    public void unlock() {
        try {
            ref.callNow(LockServer.RELEASE, ByteString.EMPTY);
        } catch (RemoteFailure f) {
            throw translate(f);
        }
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

    /** @return whether some thread of some process holds the lock now */
    public boolean isLocked() {
        try {
            return ref.callNow(LockServer.LOCKED, ByteString.EMPTY).byteAt(0) == 1;
        } catch (RemoteFailure f) {
            throw translate(f);
        }
    }

    /** @return the handle of this lock, for messages and tests */
    RemoteRef ref() {
        return ref;
    }

    /** @return whether the caller holds the lock: for an RLock this thread, for a Lock anyone */
    boolean isHeldByCaller() {
        int op = this instanceof RLock ? LockServer.OWNED : LockServer.LOCKED;
        try {
            return ref.callNow(op, ByteString.EMPTY).byteAt(0) == 1;
        } catch (RemoteFailure f) {
            throw translate(f);
        }
    }

    /**
     * Releases every hold of the caller at once, for a condition's wait.
     *
     * @return the number of holds, for {@link #restore}
     */
    int releaseAll() {
        try {
            return ref.callNow(LockServer.RELEASE_ALL, ByteString.EMPTY).asReadOnlyByteBuffer().getInt();
        } catch (RemoteFailure f) {
            throw translate(f);
        }
    }

    /**
     * Re-acquires the lock with the holds {@link #releaseAll} released, waiting as long as it
     * takes; not interruptible (the interrupt flag is kept).
     *
     * @param holds the number of holds
     */
    void restore(int holds) {
        ByteString payload = ByteString.copyFrom(ByteBuffer.allocate(Integer.BYTES).putInt(0, holds));
        boolean interrupted = false;
        while (true) {
            try {
                acquire(payload, -1);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean acquire(long timeoutNanos) throws InterruptedException {
        return acquire(ByteString.EMPTY, timeoutNanos);
    }

    private boolean acquire(ByteString payload, long timeoutNanos) throws InterruptedException {
        try {
            return decode(ref.call(LockServer.ACQUIRE, payload, timeoutNanos));
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.TIMEOUT) {
                return false;
            }
            throw translate(f);
        }
    }

    private boolean decode(ByteString answer) {
        if (answer.byteAt(0) == LockServer.GRANTED_OWNER_DIED) {
            String died = answer.substring(1).toString(StandardCharsets.UTF_8);
            System.err.println("multiprocessing4j: " + this + " acquired after its previous holder, " + died
                    + ", died holding it; what it protected may be inconsistent");
        }
        return true;
    }

    static RuntimeException translate(RemoteFailure f) {
        return switch (f.kind()) {
            case FailureKind.ILLEGAL_STATE -> new IllegalStateException(f.getMessage());
            case FailureKind.GONE, FailureKind.NO_SUCH_OBJECT -> new ProcessGoneException(f.getMessage());
            default -> f;
        };
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " of " + ref.ownerName() + " #" + ref.object() + ">";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof LockSupport other && other.getClass() == getClass() && other.ref.equals(ref);
    }

    @Override
    public int hashCode() {
        return ref.hashCode();
    }
}
