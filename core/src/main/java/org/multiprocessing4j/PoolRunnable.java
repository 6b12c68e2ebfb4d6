package org.multiprocessing4j;

import java.io.Serializable;

/**
 * A task without argument or result that a {@link Pool} runs in a worker process:
 * {@code pool.apply(() -> Files.delete(path))}, Python's {@code apply(f)} of a function that
 * returns {@code None}. A serializable {@link Runnable} whose lambda may throw checked exceptions
 * ({@link #runTask()} is its method); everything it captures must be encodable by the pool's
 * codec.
 *
 * <p>Overloads taking a {@link PoolCallable} and a {@code PoolRunnable} never clash: Java picks
 * the {@code PoolCallable} for a lambda or method reference that returns a value and the
 * {@code PoolRunnable} for one that returns nothing, as {@code ExecutorService.submit} does for
 * {@code Callable} and {@code Runnable}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface PoolRunnable extends Runnable, Serializable {

    /**
     * Runs in a worker process.
     *
     * @throws Exception anything; it fails this task (and only this task)
     */
    void runTask() throws Exception;

    /**
     * Runs {@link #runTask()}, for callers that hold a plain {@link Runnable}: a checked
     * exception comes out wrapped in an {@link IllegalStateException}. A pool calls
     * {@link #runTask()} itself, so its tasks fail with the exception they threw.
     */
    @Override
    default void run() {
        try {
            runTask();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
