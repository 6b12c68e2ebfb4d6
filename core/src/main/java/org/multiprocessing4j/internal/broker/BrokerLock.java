package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

    /**
     * @param reentrant true for an RLock
     * @return a new lock hosted by this process
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
        try {
            return ref.callNow(LockServer.RELEASE_ALL, ByteString.EMPTY).asReadOnlyByteBuffer().getInt();
        } catch (RemoteFailure f) {
            throw translate(f);
        }
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
        try {
            ByteString answer = timeoutNanos == 0
                    ? ref.callNow(LockServer.ACQUIRE, payload)
                    : ref.call(LockServer.ACQUIRE, payload, timeoutNanos);
            if (answer.byteAt(0) == LockServer.GRANTED_OWNER_DIED) {
                System.err.println("multiprocessing4j: the lock " + ref.ownerName() + " #" + ref.object()
                        + " was acquired after its previous holder, " + answer.substring(1).toString(StandardCharsets.UTF_8)
                        + ", died holding it; what it protected may be inconsistent");
            }
            return true;
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.TIMEOUT) {
                return false;
            }
            throw translate(f);
        }
    }

    @Override
    public void release() {
        try {
            ref.callNow(LockServer.RELEASE, ByteString.EMPTY);
        } catch (RemoteFailure f) {
            throw translate(f);
        }
    }

    @Override
    public boolean isLocked() {
        return ask(LockServer.LOCKED);
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return ask(LockServer.OWNED);
    }

    private boolean ask(int op) {
        try {
            return ref.callNow(op, ByteString.EMPTY).byteAt(0) == 1;
        } catch (RemoteFailure f) {
            throw translate(f);
        }
    }

    /**
     * @param f a failure answer
     * @return the API's exception for it: IllegalStateException, ProcessGoneException, or f
     */
    public static RuntimeException translate(RemoteFailure f) {
        return switch (f.kind()) {
            case FailureKind.ILLEGAL_STATE -> new IllegalStateException(f.getMessage());
            case FailureKind.GONE, FailureKind.NO_SUCH_OBJECT -> new ProcessGoneException(f.getMessage());
            default -> f;
        };
    }
}
