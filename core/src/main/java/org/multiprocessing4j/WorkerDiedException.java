package org.multiprocessing4j;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * A pool's worker process died while it held a task (by {@code System.exit}, a signal such as
 * SIGKILL, running out of memory, or a crash of the JVM); the cause of the
 * {@link PoolTaskException} of each task it held. The message names the worker and the cause
 * of death: {@code "PoolWorker-3 died with signal 9 (SIGKILL)"}, or
 * {@code "PoolWorker-3 ran out of memory (exit code 3)"} when the worker reported an
 * {@link OutOfMemoryError} before it ended.
 *
 * @since 0.1
 */
public class WorkerDiedException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The worker process's name. @serial */

    private final String workerName;
    /** Its exit code, or null. @serial */
    private final @Nullable Integer exitCode;
    /** Whether it reported running out of memory. @serial */
    private final boolean outOfMemory;

    /**
     * Creates the exception.
     *
     * @param message     what happened, naming the worker
     * @param workerName  the worker process's name
     * @param exitCode    its exit code in Python's convention ({@code -9} for SIGKILL), or null
     *                    if it could not be started
     * @param outOfMemory whether it reported an {@link OutOfMemoryError} before it ended
     * @param cause       what the worker reported, such as its initializer's exception; or null
     */
    public WorkerDiedException(String message, String workerName, @Nullable Integer exitCode,
                               boolean outOfMemory, @Nullable Throwable cause) {
        super(message, cause);
        this.workerName = workerName;
        this.exitCode = exitCode;
        this.outOfMemory = outOfMemory;
    }

    /** {@return the name of the worker process that died} */
    public String workerName() {
        return workerName;
    }

    /** {@return its exit code ({@code -N} for signal N), or null if it never started} */
    public @Nullable Integer exitCode() {
        return exitCode;
    }

    /** {@return true if the worker reported an {@link OutOfMemoryError} before it ended} */
    public boolean outOfMemory() {
        return outOfMemory;
    }
}
