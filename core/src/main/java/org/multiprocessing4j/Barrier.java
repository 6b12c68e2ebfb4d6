package org.multiprocessing4j;

import com.google.protobuf.ByteString;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.broker.BarrierServer;
import org.multiprocessing4j.internal.broker.FailureKind;
import org.multiprocessing4j.internal.broker.RemoteFailure;
import org.multiprocessing4j.internal.broker.RemoteRef;

/**
 * A barrier for a fixed number of parties, shared by processes: Python's
 * {@code multiprocessing.Barrier}. Python's {@code wait} is {@link #await()} here.
 *
 * <p>Each party that calls {@code await} waits until {@link #parties()} of them have; then all
 * are released together and the barrier is ready for the next round. The optional action runs
 * once per round, in the process of the last party to arrive, before the others are released.
 *
 * <p>As in Python, the barrier breaks — every waiting party and every later one gets
 * {@link BrokenBarrierException} until {@link #reset()} — when a wait times out, on
 * {@link #abort()}, and when the action throws (that party gets the action's exception). It
 * also breaks when a waiting party is interrupted (as Java's {@code CyclicBarrier} does) and
 * when a waiting party's process dies. Waiting on a barrier whose owner process is gone throws
 * {@link ProcessGoneException}.
 *
 * @since 0.1
 */
public final class Barrier implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final RemoteRef ref;
    private final int parties;
    private final @Nullable ProcessTarget action;
    private final @Nullable Duration timeout;

    /**
     * A new barrier for {@code parties} parties, owned by this process.
     *
     * @param parties how many parties each round waits for
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        this(parties, null, null);
    }

    /**
     * A new barrier for {@code parties} parties, owned by this process (Python's
     * {@code Barrier(parties, action, timeout)}).
     *
     * @param parties how many parties each round waits for
     * @param action  runs once per round in the last party's process before the others are
     *                released; null for none. It travels with the barrier, so it is encoded
     *                when the barrier is passed to a process
     * @param timeout the default longest wait of {@link #await()}; null for none
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties, @Nullable ProcessTarget action, @Nullable Duration timeout) {
        if (parties < 1) {
            throw new IllegalArgumentException("a barrier needs at least 1 party, not " + parties);
        }
        this.parties = parties;
        this.action = action;
        this.timeout = timeout;
        this.ref = RemoteRef.host(new BarrierServer(parties, action != null));
    }

    /**
     * Waits for the other parties, at most the barrier's default timeout (Python's {@code wait()}).
     *
     * @return this party's arrival index, 0 to {@code parties() - 1}
     * @throws BrokenBarrierException if the barrier is or becomes broken, or the time runs out
     * @throws InterruptedException   if interrupted while waiting (the barrier breaks)
     * @throws ProcessGoneException   if the barrier's owner process is gone
     */
    public int await() throws InterruptedException {
        return await(timeout);
    }

    /**
     * Waits for the other parties, at most {@code timeout} (Python's {@code wait(timeout)}).
     * If this is the last party and the barrier has an action, runs it first.
     *
     * @param timeout the longest wait; null waits as long as it takes
     * @return this party's arrival index, 0 to {@code parties() - 1}
     * @throws BrokenBarrierException if the barrier is or becomes broken, or the time runs out
     *                                (which breaks it)
     * @throws InterruptedException   if interrupted while waiting (the barrier breaks)
     * @throws ProcessGoneException   if the barrier's owner process is gone
     */
    public int await(@Nullable Duration timeout) throws InterruptedException {
        ByteBuffer answer;
        try {
            answer = ref.call(BarrierServer.ARRIVE, ByteString.EMPTY, RemoteRef.timeoutNanos(timeout))
                    .asReadOnlyByteBuffer();
        } catch (RemoteFailure f) {
            throw translate(f);
        }
        int index = answer.getInt(1);
        if (answer.get(0) == BarrierServer.RUN_ACTION) {
            runAction(answer.getLong(1 + Integer.BYTES));
        }
        return index;
    }

    private void runAction(long generation) {
        Throwable failure = null;
        try {
            if (action != null) {
                action.run();
            }
        } catch (Exception | Error e) {
            failure = e;
        }
        ByteString done = ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES + 1)
                .putLong(0, generation).put(Long.BYTES, (byte) (failure == null ? 1 : 0)));
        try {
            ref.callNow(BarrierServer.ACTION_DONE, done);
        } catch (RemoteFailure f) {
            if (failure == null) {
                throw translate(f);
            }
        }
        switch (failure) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new BrokenBarrierException("the barrier action failed: " + failure, failure);
        }
    }

    /**
     * Returns the barrier to its empty, unbroken state; parties waiting now get
     * {@link BrokenBarrierException}.
     */
    public void reset() {
        now(BarrierServer.RESET);
    }

    /** Breaks the barrier: waiting and later parties get {@link BrokenBarrierException} until {@link #reset()}. */
    public void abort() {
        now(BarrierServer.ABORT);
    }

    /**
     * Python's {@code parties}.
     *
     * @return how many parties each round waits for
     */
    public int parties() {
        return parties;
    }

    /**
     * Python's {@code n_waiting}.
     *
     * @return how many parties wait now
     * @throws ProcessGoneException if the barrier's owner process is gone
     */
    public int nWaiting() {
        return now(BarrierServer.N_WAITING).asReadOnlyByteBuffer().getInt();
    }

    /**
     * Python's {@code broken}.
     *
     * @return whether the barrier is broken
     * @throws ProcessGoneException if the barrier's owner process is gone
     */
    public boolean isBroken() {
        return now(BarrierServer.IS_BROKEN).byteAt(0) == 1;
    }

    private ByteString now(int op) {
        try {
            return ref.callNow(op, ByteString.EMPTY);
        } catch (RemoteFailure f) {
            throw translate(f);
        }
    }

    private static RuntimeException translate(RemoteFailure f) {
        return f.kind() == FailureKind.BROKEN ? new BrokenBarrierException(f.getMessage()) : LockSupport.translate(f);
    }

    @Override
    public String toString() {
        return "<Barrier of " + ref.ownerName() + " #" + ref.object() + ", parties=" + parties + ">";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Barrier other && other.ref.equals(ref);
    }

    @Override
    public int hashCode() {
        return ref.hashCode();
    }
}
