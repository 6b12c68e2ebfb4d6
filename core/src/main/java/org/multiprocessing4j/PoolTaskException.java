package org.multiprocessing4j;

import java.io.Serial;

/**
 * A pool task did not complete: Java's {@code ExecutionException}, unchecked. The cause says
 * why: the exception the task threw in its worker (decoded, with the worker's stack trace, or a
 * {@link RemoteException} standing in for one that could not be carried), a
 * {@link WorkerDiedException} when the worker that held the task died, a
 * {@link BrokenPoolException} when the pool gave up replacing workers, a
 * {@link java.util.concurrent.CancellationException} when the pool was terminated first, or a
 * {@link CodecException} when the task or its result could not be encoded.
 *
 * <p>Each call of {@link AsyncResult#get()} throws a new one, so its stack trace is the
 * caller's; the worker's is the cause's.
 *
 * @since 0.1
 */
public class PoolTaskException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the worker where one was involved
     * @param cause   why; never null
     */
    public PoolTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
