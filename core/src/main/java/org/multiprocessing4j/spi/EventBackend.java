package org.multiprocessing4j.spi;

import java.io.Serializable;

/**
 * What {@code Event} calls: a flag that processes wait on. It travels to other processes with
 * the event, so it is a small serializable handle; its methods work in any process of the
 * tree and from any thread.
 *
 * <p>Errors are the API's: {@link org.multiprocessing4j.ProcessGoneException} when the process
 * that hosts the event's state is gone, including for a waiter blocked at that moment.
 *
 * @since 0.1
 */
public interface EventBackend extends Serializable {

    /** Sets the flag and wakes every waiter, in every process. */
    void set();

    /** Clears the flag: later waits block until it is set again. */
    void clear();

    /** {@return whether the flag is set now} */
    boolean isSet();

    /**
     * Waits until the flag is set.
     *
     * @param timeoutNanos negative: wait as long as it takes; zero: do not wait; positive: the
     *                     limit in nanoseconds
     * @return whether the flag is set: false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    boolean await(long timeoutNanos) throws InterruptedException;
}
