package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.spi.LockBackend;

/**
 * The broker's lock: a {@link LockServer} in the creating process, called through its handle.
 *
 * @param ref the lock's handle
 */
public record BrokerLock(RemoteRef ref) implements LockBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@return this, or what a remote manager's client gets instead ({@link OnBehalf#export})} */
    @Serial
    private Object writeReplace() {
        return OnBehalf.export(this);
    }

    /**
     * {@return a new lock hosted by this process}
     *
     * @param reentrant true for an RLock
     */
    public static BrokerLock create(boolean reentrant) {
        return new BrokerLock(RemoteRef.host(new LockServer(reentrant)));
    }

    @Override
    public boolean acquire(long timeoutNanos) throws InterruptedException {
        return acquire(ByteString.EMPTY, timeoutNanos);
    }

    @Override
    public int releaseAll() {
        return now(ref, LockServer.RELEASE_ALL, ByteString.EMPTY).asReadOnlyByteBuffer().getInt();
    }

    @Override
    public void reacquire(int holds) {
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

    private boolean acquire(ByteString payload, long timeoutNanos) throws InterruptedException {
        return granted(ref, LockServer.ACQUIRE, payload, timeoutNanos, died -> "the lock " + ref.describe()
                + " was acquired after its previous holder, " + died
                + ", died holding it; what it protected may be inconsistent");
    }

    /**
     * An acquire answered like {@link LockServer#ACQUIRE}: tells {@code System.err} when the
     * previous holder died holding it.
     *
     * @param ref          the object
     * @param op           its acquire operation
     * @param payload      the operation's argument
     * @param timeoutNanos negative forever, zero not at all (and not interruptible), else the limit
     * @param warning      the warning, given the name of the holder that died
     * @return true if granted, false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    static boolean granted(RemoteRef ref, int op, ByteString payload, long timeoutNanos,
                           UnaryOperator<String> warning) throws InterruptedException {
        try {
            ByteString answer = timeoutNanos == 0 ? ref.callNow(op, payload) : ref.call(op, payload, timeoutNanos);
            if (answer.byteAt(0) == LockServer.GRANTED_OWNER_DIED) {
                String died = answer.substring(1).toString(StandardCharsets.UTF_8);
                OnBehalf.warn(warning.apply(died));
            }
            return true;
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.TIMEOUT) {
                return false;
            }
            throw translate(f);
        }
    }

    /**
     * A call that does not wait on the owner, failures translated.
     *
     * @param ref     the object
     * @param op      the operation
     * @param payload its argument
     * @return the answer
     */
    static ByteString now(RemoteRef ref, int op, ByteString payload) {
        try {
            return ref.callNow(op, payload);
        } catch (RemoteFailure f) {
            throw translate(f);
        }
    }

    @Override
    public void release() {
        now(ref, LockServer.RELEASE, ByteString.EMPTY);
    }

    @Override
    public boolean isLocked() {
        return ask(LockServer.LOCKED);
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return ask(LockServer.OWNED);
    }

    @Override
    public long fencingToken() {
        return now(ref, LockServer.FENCE, ByteString.EMPTY).asReadOnlyByteBuffer().getLong();
    }

    private boolean ask(int op) {
        return now(ref, op, ByteString.EMPTY).byteAt(0) == 1;
    }

    /**
     * {@return the API's exception for it: IllegalStateException, ProcessGoneException,
     * IllegalArgumentException (a frame too large), or f}
     *
     * @param f a failure answer
     */
    static RuntimeException translate(RemoteFailure f) {
        return switch (f.kind()) {
            case FailureKind.ILLEGAL_STATE -> new IllegalStateException(f.getMessage());
            case FailureKind.GONE, FailureKind.NO_SUCH_OBJECT -> new ProcessGoneException(f.getMessage());
            case FailureKind.TOO_LARGE -> new IllegalArgumentException(f.getMessage());
            default -> f;
        };
    }
}
