package org.multiprocessing4j.spi;

import org.jspecify.annotations.Nullable;

/**
 * The primitives a transport implements itself. Every method may return null, meaning "use
 * core's broker for this one"; that is the default of each, so a transport overrides only what
 * it does better. Called in the process that creates the primitive, on the creating thread.
 *
 * @since 0.1
 */
public interface NativePrimitives {

    /**
     * @param reentrant true for an {@code RLock}: one holder thread, which may acquire again
     * @return a lock, or null for the broker's
     */
    default @Nullable LockBackend lock(boolean reentrant) {
        return null;
    }

    /**
     * @param maxsize the most items held; 0 for no limit
     * @return a queue, or null for the broker's
     */
    default @Nullable QueueBackend queue(int maxsize) {
        return null;
    }
}
