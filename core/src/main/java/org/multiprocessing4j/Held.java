package org.multiprocessing4j;

/**
 * Something held — a lock, a semaphore's permit — for a try-with-resources block, Python's
 * {@code with}: closing it releases what was held.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Held extends AutoCloseable {
    /** Releases what was held. */
    @Override
    void close();
}
