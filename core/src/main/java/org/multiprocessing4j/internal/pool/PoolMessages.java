package org.multiprocessing4j.internal.pool;

import java.io.Serializable;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.PoolFunction;

/**
 * The messages between a pool and its workers. Everything the user supplies (functions,
 * arguments, results, exceptions) travels pre-encoded as bytes inside them, so a message itself
 * always decodes, and a value that does not fails only its own task.
 */
public final class PoolMessages {
    private PoolMessages() {
    }

    /**
     * Pool to worker: run a chunk.
     *
     * @param chunkId the chunk's number in its pool
     * @param work    an encoded {@link ChunkWork}
     */
    public record Task(long chunkId, byte[] work) implements Serializable {
    }

    /** Pool to worker: finish and exit with code 0. */
    public record Stop() implements Serializable {
    }

    /**
     * What a chunk asks: apply the function to each argument.
     *
     * @param function  the function
     * @param arguments its arguments, one per task of the chunk
     */
    public record ChunkWork(PoolFunction<Object, Object> function, List<@Nullable Object> arguments)
            implements Serializable {
    }

    /**
     * Worker to pool: a chunk is done, with its encoded results (a list) or a failure.
     *
     * @param worker  the worker's number
     * @param chunkId the chunk's number
     * @param values  the encoded list of results, or null on failure
     * @param failure why the chunk failed, or null
     */
    public record ChunkDone(int worker, long chunkId, byte @Nullable [] values, @Nullable FailureReport failure)
            implements Serializable {
    }

    /**
     * Worker to pool, best effort: the worker ran out of memory and is about to exit.
     *
     * @param worker the worker's number
     */
    public record OutOfMemory(int worker) implements Serializable {
    }

    /**
     * Worker to pool: the initializer threw; the worker is about to exit with code 1.
     *
     * @param worker  the worker's number
     * @param failure what it threw
     */
    public record InitializerFailed(int worker, FailureReport failure) implements Serializable {
    }
}
