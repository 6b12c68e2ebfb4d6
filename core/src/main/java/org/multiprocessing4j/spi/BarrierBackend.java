package org.multiprocessing4j.spi;

import java.io.Serializable;

/**
 * What {@code Barrier} calls. It travels to other processes with the barrier, so it is a small
 * serializable handle; its methods work in any process of the tree and from any thread.
 *
 * <p>The barrier's action is not the backend's: it runs in the process of the last party to
 * arrive, which the backend tells so ({@link Arrival#runAction()}) instead of releasing it;
 * that party runs the action and reports with {@link #actionDone}, and only then are the
 * others released (or, if the action failed, the barrier breaks). While the action runs, new
 * arrivals wait to enter the next round.
 *
 * <p>The barrier breaks — every waiting party, and every later one until {@link #reset()},
 * gets {@link org.multiprocessing4j.BrokenBarrierException} — on {@link #abort()}, when a
 * waiting party's time runs out or it is interrupted, when the process of a waiting party (or
 * of the action's runner) dies, and when the action fails. Other errors are the API's:
 * {@link org.multiprocessing4j.ProcessGoneException} when the process that hosts the barrier's
 * state is gone.
 *
 * @since 0.1
 */
public interface BarrierBackend extends Serializable {

    /**
     * What {@link #arrive} answers.
     *
     * @param index     the party's arrival index in its round, 0 to parties - 1
     * @param runAction true for the last party of a barrier with an action: it must run the
     *                  action, then call {@link #actionDone}
     * @param round     what to pass to {@link #actionDone}; meaningless unless {@code runAction}
     * @since 0.1
     */
    record Arrival(int index, boolean runAction, long round) implements Serializable {
        @java.io.Serial
        private static final long serialVersionUID = 1L;
    }

    /**
     * Arrives and waits until every party of the round has, or (when this is the last party
     * and the barrier has an action) answers at once with {@link Arrival#runAction()}.
     *
     * @param timeoutNanos negative: wait as long as it takes; zero: do not wait; positive: the
     *                     limit in nanoseconds. Running out of time breaks the barrier
     * @return the arrival, never null
     * @throws org.multiprocessing4j.BrokenBarrierException if the barrier is or becomes broken,
     *                                                      or the time runs out
     * @throws InterruptedException if interrupted while waiting (the barrier breaks)
     */
    Arrival arrive(long timeoutNanos) throws InterruptedException;

    /**
     * Reports that the action of a round ran: releases the round's parties, or breaks the
     * barrier if it failed.
     *
     * @param round     {@link Arrival#round()} of the arrival that said to run it
     * @param succeeded whether the action completed without throwing
     */
    void actionDone(long round, boolean succeeded);

    /** Returns the barrier to its empty, unbroken state; parties waiting now see it broken. */
    void reset();

    /** Breaks the barrier until {@link #reset()}. */
    void abort();

    /** {@return how many parties wait now} */
    int nWaiting();

    /** {@return whether the barrier is broken} */
    boolean isBroken();
}
