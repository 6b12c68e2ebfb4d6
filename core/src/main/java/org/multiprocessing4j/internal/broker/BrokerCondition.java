package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.io.Serial;
import java.nio.ByteBuffer;
import org.multiprocessing4j.spi.ConditionBackend;
import org.multiprocessing4j.spi.LockBackend;

/**
 * The broker's condition: a {@link ConditionServer} in the creating process, called through its
 * handle, over the backend of the condition's lock (the broker's or a transport's).
 *
 * @param ref  the condition's handle
 * @param lock the backend of its lock
 */
public record BrokerCondition(RemoteRef ref, LockBackend lock) implements ConditionBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@return this, or what a remote manager's client gets instead ({@link OnBehalf#export})} */
    @Serial
    private Object writeReplace() {
        return OnBehalf.export(this);
    }

    /**
     * {@return a new condition hosted by this process}
     *
     * @param lock the backend of the condition's lock
     */
    public static BrokerCondition create(LockBackend lock) {
        return new BrokerCondition(RemoteRef.host(new ConditionServer()), lock);
    }

    /** The wait itself: ENQUEUE while holding the lock, release it, WAIT, re-acquire. */
    @Override
    public boolean await(long timeoutNanos, boolean interruptible) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        ByteString ticket = BrokerLock.now(ref, ConditionServer.ENQUEUE, ByteString.EMPTY);
        int holds;
        try {
            holds = lock.releaseAll();
        } catch (RuntimeException e) {
            leaveQuietly(ticket);
            throw e;
        }
        boolean interrupted = false;
        try {
            while (true) {
                long wait = timeoutNanos <= 0 ? timeoutNanos : Math.max(0, deadline - System.nanoTime());
                try {
                    ref.call(ConditionServer.WAIT, ticket, wait);
                    return true;
                } catch (RemoteFailure f) {
                    if (f.kind() == FailureKind.TIMEOUT) {
                        return false;
                    }
                    throw BrokerLock.translate(f);
                } catch (InterruptedException e) {
                    // The ticket is still in line: leave it, unless a signal reached it first.
                    if (interruptible) {
                        if (BrokerLock.now(ref, ConditionServer.LEAVE, ticket).byteAt(0) == 1) {
                            interrupted = true;
                            return true;
                        }
                        throw e;
                    }
                    interrupted = true;
                }
            }
        } finally {
            lock.reacquire(holds);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void signal(int n) {
        ByteString count = ByteString.copyFrom(ByteBuffer.allocate(Integer.BYTES).putInt(0, n));
        BrokerLock.now(ref, ConditionServer.NOTIFY, count);
    }

    private void leaveQuietly(ByteString ticket) {
        try {
            ref.callNow(ConditionServer.LEAVE, ticket);
        } catch (RemoteFailure ignored) {
            // the owner is gone: so is the ticket
        }
    }

    @Override
    public String toString() {
        return ref.describe();
    }
}
