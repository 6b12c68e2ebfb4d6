package org.multiprocessing4j.spi;

import org.jspecify.annotations.Nullable;

/**
 * The primitives a transport implements itself. Every method may return null, meaning "use
 * core's broker for this one"; that is the default of each, so a transport overrides only what
 * it does better, kind by kind. Called in the process that creates the primitive, on the
 * creating thread, once per primitive; arguments are already checked. A method that throws
 * fails the primitive's constructor with that exception.
 *
 * @since 0.1
 */
public interface NativePrimitives {

    /**
     * {@return a lock, or null for the broker's}
     *
     * @param reentrant true for an {@code RLock}: one holder thread, which may acquire again
     */
    default @Nullable LockBackend lock(boolean reentrant) {
        return null;
    }

    /**
     * {@return a semaphore, or null for the broker's}
     *
     * @param value   the initial number of permits, at least 0
     * @param bounded true for a {@code BoundedSemaphore}: releases past {@code value} fail
     */
    default @Nullable SemaphoreBackend semaphore(int value, boolean bounded) {
        return null;
    }

    /**
     * {@return an event, not set, or null for the broker's}
     */
    default @Nullable EventBackend event() {
        return null;
    }

    /**
     * {@return a condition over {@code lock}, or null for the broker's}
     *
     * @param lock the backend of the condition's lock, the transport's or the broker's; the
     *             condition releases and re-acquires it around each wait
     */
    default @Nullable ConditionBackend condition(LockBackend lock) {
        return null;
    }

    /**
     * {@return a barrier, or null for the broker's}
     *
     * @param parties   how many parties each round waits for, at least 1
     * @param hasAction whether the last party of each round runs an action first
     */
    default @Nullable BarrierBackend barrier(int parties, boolean hasAction) {
        return null;
    }

    /**
     * {@return a queue, or null for the broker's}
     *
     * @param maxsize the most items held; 0 for no limit
     */
    default @Nullable QueueBackend queue(int maxsize) {
        return null;
    }

    /**
     * Opens a pipe whose two ends the opening process holds. Whether the pipe is one-way is the
     * connections' business: both ends may send and receive here.
     *
     * @return a pipe, or null for the broker's
     */
    default @Nullable PipeBackend pipe() {
        return null;
    }

    /**
     * {@return the bytes of a new {@code Value} or {@code Array}, all zeros, or null for core's
     * shared memory of this host} A transport whose processes may run on several hosts keeps
     * them where all of them reach them; one whose processes share a machine has no reason to.
     *
     * @param byteSize how many bytes, at least 1 (a multiple of the element's width)
     */
    default @Nullable SharedDataBackend sharedData(long byteSize) {
        return null;
    }
}
