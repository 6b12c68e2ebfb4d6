package org.multiprocessing4j;

import java.io.Serializable;

/**
 * A function a {@link Pool} applies in a worker process: {@code pool.map(Squares::square, xs)}.
 * A lambda or method reference of this type is serializable; everything it captures must be
 * encodable by the pool's codec.
 *
 * @param <T> the argument type
 * @param <R> the result type; results travel back encoded, so they must be encodable too
 * @since 0.1
 */
@FunctionalInterface
public interface PoolFunction<T, R> extends Serializable {

    /**
     * Runs in a worker process.
     *
     * @param argument one item of the input
     * @return the result for it
     * @throws Exception anything; it fails this task (and only this task)
     */
    R apply(T argument) throws Exception;
}
