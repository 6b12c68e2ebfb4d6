package org.multiprocessing4j;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The results of {@link Pool#imap} and {@link Pool#imapUnordered}: Python's {@code IMapIterator}.
 * The source is pulled lazily, in the consumer's thread. {@link #next()} throws a
 * {@link PoolTaskException} for a failed chunk, once, and the iteration may go on after it.
 * {@link #next(Duration)} waits at most a given time, as Python's {@code next(timeout)}.
 *
 * <p>Meant for one consumer thread; {@link #hasNext()} and {@link #next()} wait for the pool, and
 * when interrupted throw a {@link MultiprocessingException} with the interrupt flag set (an
 * {@code Iterator} cannot throw {@link InterruptedException}).
 *
 * @param <R> the result type
 * @since 0.1
 */
public interface ImapIterator<R> extends Iterator<R> {

    /**
     * Waits at most {@code timeout} for the next result: Python's {@code next(timeout)}. On
     * timeout nothing is lost: the result is still to come, and a later call returns it.
     *
     * @param timeout how long to wait at most
     * @return the next result
     * @throws TimeoutException                  if it is not there in time
     * @throws PoolTaskException                 if the next chunk failed; the iteration may go
     *                                           on after it
     * @throws java.util.NoSuchElementException if there are no more results
     * @throws IllegalStateException             if the pool was closed or terminated before
     *                                           this iteration pulled its whole source
     * @throws InterruptedException              if interrupted while waiting
     */
    @Nullable R next(Duration timeout) throws TimeoutException, InterruptedException;
}
