package org.multiprocessing4j;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task without argument that a {@link Pool} runs in a worker process:
 * {@code pool.apply(() -> ProcessHandle.current().pid())}. A serializable {@link Callable}:
 * everything it captures must be encodable by the pool's codec.
 *
 * @param <R> the result type
 * @since 0.1
 */
@FunctionalInterface
public interface PoolCallable<R> extends Callable<R>, Serializable {

    /**
     * Runs in a worker process.
     *
     * @return the result
     * @throws Exception anything; it fails this task (and only this task)
     */
    @Override
    R call() throws Exception;
}
