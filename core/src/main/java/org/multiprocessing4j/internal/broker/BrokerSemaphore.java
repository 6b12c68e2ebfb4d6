package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.io.Serial;
import org.multiprocessing4j.spi.SemaphoreBackend;

/**
 * The broker's semaphore: a {@link SemaphoreServer} in the creating process, called through its
 * handle.
 *
 * @param ref the semaphore's handle
 */
public record BrokerSemaphore(RemoteRef ref) implements SemaphoreBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@return this, or what a remote manager's client gets instead ({@link OnBehalf#export})} */
    @Serial
    private Object writeReplace() {
        return OnBehalf.export(this);
    }

    /**
     * {@return a new semaphore hosted by this process}
     *
     * @param value   the initial number of permits
     * @param bounded true for a BoundedSemaphore
     */
    public static BrokerSemaphore create(int value, boolean bounded) {
        return new BrokerSemaphore(RemoteRef.host(new SemaphoreServer(value, bounded)));
    }

    @Override
    public boolean acquire(long timeoutNanos) throws InterruptedException {
        return BrokerLock.granted(ref, SemaphoreServer.ACQUIRE, ByteString.EMPTY, timeoutNanos, died -> "the semaphore "
                + this + " was acquired after " + died
                + " died holding permits, which were given back; what they protected may be inconsistent");
    }

    @Override
    public void release() {
        BrokerLock.now(ref, SemaphoreServer.RELEASE, ByteString.EMPTY);
    }

    @Override
    public int value() {
        return BrokerLock.now(ref, SemaphoreServer.VALUE, ByteString.EMPTY).asReadOnlyByteBuffer().getInt();
    }

    @Override
    public String toString() {
        return ref.describe();
    }
}
