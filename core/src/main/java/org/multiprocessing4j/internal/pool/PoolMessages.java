package org.multiprocessing4j.internal.pool;

import java.io.Serializable;

/**
 * The rare messages from a pool's workers, as records; the hot ones (chunks and their answers)
 * are {@link ChunkWire} bytes. Everything the user supplies (functions, arguments, results,
 * exceptions) travels pre-encoded as bytes, so a message itself always decodes, and a value that
 * does not fails only its own task.
 */
public final class PoolMessages {
    private PoolMessages() {
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

    /**
     * Worker to pool: the chunk it runs has run long, so it gives back the chunks after it in the
     * same message, which it will not run; the pool hands them to other workers. A message of
     * several short chunks may hold a long one, which would keep the rest waiting while other
     * workers are free.
     *
     * @param worker   the worker's number
     * @param chunkIds the chunks given back, in their order
     */
    public record GaveBack(int worker, long[] chunkIds) implements Serializable {
    }
}
