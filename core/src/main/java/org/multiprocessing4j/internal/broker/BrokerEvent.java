package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.io.Serial;
import org.multiprocessing4j.spi.EventBackend;

/**
 * The broker's event: an {@link EventServer} in the creating process, called through its handle.
 *
 * @param ref the event's handle
 */
public record BrokerEvent(RemoteRef ref) implements EventBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@return this, or what a remote manager's client gets instead ({@link OnBehalf#export})} */
    @Serial
    private Object writeReplace() {
        return OnBehalf.export(this);
    }

    /** {@return a new event, not set, hosted by this process} */
    public static BrokerEvent create() {
        return new BrokerEvent(RemoteRef.host(new EventServer()));
    }

    @Override
    public void set() {
        BrokerLock.now(ref, EventServer.SET, ByteString.EMPTY);
    }

    @Override
    public void clear() {
        BrokerLock.now(ref, EventServer.CLEAR, ByteString.EMPTY);
    }

    @Override
    public boolean isSet() {
        return BrokerLock.now(ref, EventServer.IS_SET, ByteString.EMPTY).byteAt(0) == 1;
    }

    @Override
    public boolean await(long timeoutNanos) throws InterruptedException {
        try {
            return ref.call(EventServer.WAIT, ByteString.EMPTY, timeoutNanos).byteAt(0) == 1;
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.TIMEOUT) {
                return false;
            }
            throw BrokerLock.translate(f);
        }
    }

    @Override
    public String toString() {
        return ref.describe();
    }
}
