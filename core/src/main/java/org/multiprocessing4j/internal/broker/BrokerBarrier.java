package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.io.Serial;
import java.nio.ByteBuffer;
import org.multiprocessing4j.BrokenBarrierException;
import org.multiprocessing4j.spi.BarrierBackend;

/**
 * The broker's barrier: a {@link BarrierServer} in the creating process, called through its
 * handle.
 *
 * @param ref the barrier's handle
 */
public record BrokerBarrier(RemoteRef ref) implements BarrierBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@return this, or what a remote manager's client gets instead ({@link OnBehalf#export})} */
    @Serial
    private Object writeReplace() {
        return OnBehalf.export(this);
    }

    /**
     * {@return a new barrier hosted by this process}
     *
     * @param parties   how many parties each round waits for
     * @param hasAction whether the last party runs an action
     */
    public static BrokerBarrier create(int parties, boolean hasAction) {
        return new BrokerBarrier(RemoteRef.host(new BarrierServer(parties, hasAction)));
    }

    @Override
    public Arrival arrive(long timeoutNanos) throws InterruptedException {
        ByteBuffer answer;
        try {
            answer = ref.call(BarrierServer.ARRIVE, ByteString.EMPTY, timeoutNanos).asReadOnlyByteBuffer();
        } catch (RemoteFailure f) {
            throw translate(f);
        }
        return answer.get(0) == BarrierServer.RUN_ACTION
                ? new Arrival(answer.getInt(1), true, answer.getLong(1 + Integer.BYTES))
                : new Arrival(answer.getInt(1), false, 0);
    }

    @Override
    public void actionDone(long round, boolean succeeded) {
        now(BarrierServer.ACTION_DONE, ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES + 1)
                .putLong(0, round).put(Long.BYTES, (byte) (succeeded ? 1 : 0))));
    }

    @Override
    public void reset() {
        now(BarrierServer.RESET, ByteString.EMPTY);
    }

    @Override
    public void abort() {
        now(BarrierServer.ABORT, ByteString.EMPTY);
    }

    @Override
    public int nWaiting() {
        return now(BarrierServer.N_WAITING, ByteString.EMPTY).asReadOnlyByteBuffer().getInt();
    }

    @Override
    public boolean isBroken() {
        return now(BarrierServer.IS_BROKEN, ByteString.EMPTY).byteAt(0) == 1;
    }

    private ByteString now(int op, ByteString payload) {
        try {
            return ref.callNow(op, payload);
        } catch (RemoteFailure f) {
            throw translate(f);
        }
    }

    private static RuntimeException translate(RemoteFailure f) {
        return f.kind() == FailureKind.BROKEN ? new BrokenBarrierException(f.getMessage()) : BrokerLock.translate(f);
    }

    @Override
    public String toString() {
        return ref.describe();
    }
}
