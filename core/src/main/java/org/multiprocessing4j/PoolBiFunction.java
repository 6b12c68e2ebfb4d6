package org.multiprocessing4j;

import java.io.Serializable;

/**
 * A two-argument function a {@link Pool} applies in a worker process, for
 * {@link Pool#starmap(PoolBiFunction, Iterable) starmap}: Python's {@code func(*args)} where
 * {@code args} is a pair. Serializable as {@link PoolFunction} is.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <R> the result type
 * @since 0.1
 */
@FunctionalInterface
public interface PoolBiFunction<A, B, R> extends Serializable {

    /**
     * Runs in a worker process.
     *
     * @param first  the pair's first value
     * @param second the pair's second value
     * @return the result for the pair
     * @throws Exception anything; it fails this task (and only this task)
     */
    R apply(A first, B second) throws Exception;
}
