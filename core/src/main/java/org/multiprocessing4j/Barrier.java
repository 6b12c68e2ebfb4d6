package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.spi.BarrierBackend;

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

    /** The barrier's state, in its owner or in shared memory. @serial */

    private final BarrierBackend backend;
    /** How many parties each round waits for. @serial */
    private final int parties;
    /** Run by one party when a round completes, or null. @serial */
    private final @Nullable ProcessTarget action;
    /** The default timeout of {@link #await()}, or null for none. @serial */
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
        this.backend = Primitives.barrier(parties, action != null);
    }

    /**
     * @param backend an existing barrier's backend (a remote manager's)
     * @param parties its parties
     * @param action  its action, or null
     * @param timeout its default timeout, or null
     */
    Barrier(BarrierBackend backend, int parties, @Nullable ProcessTarget action, @Nullable Duration timeout) {
        this.backend = backend;
        this.parties = parties;
        this.action = action;
        this.timeout = timeout;
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
        BarrierBackend.Arrival arrival = backend.arrive(Primitives.timeoutNanos(timeout));
        if (arrival.runAction()) {
            runAction(arrival.round());
        }
        return arrival.index();
    }

    private void runAction(long round) {
        Throwable failure = null;
        try {
            if (action != null) {
                action.run();
            }
        } catch (Exception | Error e) {
            failure = e;
        }
        try {
            backend.actionDone(round, failure == null);
        } catch (RuntimeException e) {
            if (failure == null) {
                throw e;
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
        backend.reset();
    }

    /** Breaks the barrier: waiting and later parties get {@link BrokenBarrierException} until {@link #reset()}. */
    public void abort() {
        backend.abort();
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
        return backend.nWaiting();
    }

    /**
     * Python's {@code broken}.
     *
     * @return whether the barrier is broken
     * @throws ProcessGoneException if the barrier's owner process is gone
     */
    public boolean isBroken() {
        return backend.isBroken();
    }

    @Override
    public String toString() {
        return "<Barrier of " + backend + ", parties=" + parties + ">";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Barrier other && other.backend.equals(backend);
    }

    @Override
    public int hashCode() {
        return backend.hashCode();
    }

    /** {@return this barrier's backend} */
    BarrierBackend backend() {
        return backend;
    }
}
