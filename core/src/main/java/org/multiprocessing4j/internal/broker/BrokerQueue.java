package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.io.Serial;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.spi.QueueBackend;
import org.multiprocessing4j.spi.Releasable;

/**
 * The broker's queue: a {@link QueueServer} in the creating process, called through its handle.
 *
 * <p>A put to an unbounded queue is <em>posted</em> (as Python's returns once its feeder has
 * the item): it cannot fail for want of room, so the producer sends the item and goes on,
 * many puts to a write, instead of waiting a round trip for each. The item reaches the owner
 * before anything the producer sends it later, and before the owner hears of the producer's
 * death; a put to an owner known to be gone fails. A put to a bounded queue waits for the
 * owner's answer (there may be no room).
 *
 * @param ref    the queue's handle
 * @param posted whether puts are posted rather than acknowledged
 */
public record BrokerQueue(RemoteRef ref, boolean posted) implements QueueBackend, Releasable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@return this, or what a remote manager's client gets instead ({@link OnBehalf#export})} */
    @Serial
    private Object writeReplace() {
        return OnBehalf.export(this);
    }

    /**
     * {@return a new queue hosted by this process}
     *
     * @param maxsize the most items held; 0 for no limit
     */
    public static BrokerQueue create(int maxsize) {
        return new BrokerQueue(RemoteRef.host(new QueueServer(maxsize)), maxsize <= 0);
    }

    @Override
    public void put(byte[] item, long timeoutNanos) throws InterruptedException {
        ByteString payload = ByteString.copyFrom(item);
        try {
            if (posted) {
                ref.post(QueueServer.PUT, payload);
            } else if (timeoutNanos == 0) {
                ref.callNow(QueueServer.PUT, payload);
            } else {
                ref.call(QueueServer.PUT, payload, timeoutNanos);
            }
        } catch (RemoteFailure f) {
            throw translate(f, true);
        }
    }

    @Override
    public byte[] get(long timeoutNanos) throws InterruptedException {
        if (ProcessRuntime.current().router().hosted(ref.owner(), ref.object()) instanceof QueueServer here) {
            // The owner's own get of an item that is there: no request, no answer to wait for.
            ByteString item = here.takeReady();
            if (item != null) {
                return item.toByteArray();
            }
        }
        try {
            return (timeoutNanos == 0
                    ? ref.callNow(QueueServer.GET, ByteString.EMPTY)
                    : ref.call(QueueServer.GET, ByteString.EMPTY, timeoutNanos)).toByteArray();
        } catch (RemoteFailure f) {
            throw translate(f, false);
        }
    }

    /**
     * {@return every item of a queue this process hosts, taken at once, oldest first} Between two
     * {@code get}s another process's get may take an item; here none can.
     *
     * @throws IllegalStateException if this process does not host the queue
     */
    public java.util.List<byte[]> takeAllHere() {
        if (!(ProcessRuntime.current().router().hosted(ref.owner(), ref.object()) instanceof QueueServer here)) {
            throw new IllegalStateException(ref.describe() + " is not hosted by this process");
        }
        java.util.List<byte[]> all = new java.util.ArrayList<>();
        for (ByteString item : here.takeAll()) {
            all.add(item.toByteArray());
        }
        return all;
    }

    @Override
    public int size() {
        try {
            return ref.callNow(QueueServer.SIZE, ByteString.EMPTY).asReadOnlyByteBuffer().getInt();
        } catch (RemoteFailure f) {
            throw translate(f, false);
        }
    }

    @Override
    public void taskDone() {
        try {
            ref.callNow(QueueServer.TASK_DONE, ByteString.EMPTY);
        } catch (RemoteFailure f) {
            throw translate(f, false);
        }
    }

    @Override
    public void join() throws InterruptedException {
        try {
            ref.call(QueueServer.JOIN, ByteString.EMPTY, -1);
        } catch (RemoteFailure f) {
            throw translate(f, false);
        }
    }

    @Override
    public void release() {
        ref.release(ref.describe() + " was released by its owner");
    }

    private static RuntimeException translate(RemoteFailure f, boolean putting) {
        return switch (f.kind()) {
            case FailureKind.TIMEOUT -> putting ? new Queue.Full(f.getMessage()) : new Queue.Empty(f.getMessage());
            case FailureKind.EMPTY -> new Queue.Empty(f.getMessage());
            case FailureKind.FULL -> new Queue.Full(f.getMessage());
            case FailureKind.ILLEGAL_STATE -> new IllegalStateException(f.getMessage());
            case FailureKind.GONE, FailureKind.NO_SUCH_OBJECT -> new ProcessGoneException(f.getMessage());
            case FailureKind.TOO_LARGE -> new IllegalArgumentException(f.getMessage());
            default -> f;
        };
    }

    @Override
    public String toString() {
        return ref.describe();
    }
}
