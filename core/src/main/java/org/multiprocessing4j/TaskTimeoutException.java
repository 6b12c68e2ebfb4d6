package org.multiprocessing4j;

import java.io.Serial;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A pool task ran longer than the pool's {@link Pool.Builder#taskTimeout(Duration) taskTimeout}:
 * the cause of its {@link PoolTaskException} (or of the {@link
 * java.util.concurrent.ExecutionException} of its {@code Future}). The worker that ran it was
 * killed and replaced; the pool goes on. The message names the task, the limit and the worker:
 * {@code "map(Squares::square) items 40-49 ran longer than its limit of 10 s in PoolWorker-3,
 * which was killed and replaced"}.
 *
 * <p>A {@link TimeoutException}, so that code which handles timeouts of futures handles this one.
 *
 * @since 0.1
 */
public class TaskTimeoutException extends TimeoutException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What the task was, as in the message. */
    private final String task;
    /** How long the task was allowed to run. */
    private final Duration limit;
    /** The worker that ran it, killed since. */
    private final String workerName;

    /**
     * An exception for a task that overran its pool's limit; its message says so and names the
     * worker that was killed for it.
     *
     * @param task       what the task was, such as {@code "apply(Jobs::slow)"}
     * @param limit      how long it was allowed to run
     * @param workerName the worker that ran it
     */
    public TaskTimeoutException(String task, Duration limit, String workerName) {
        super(task + " ran longer than its limit of " + describe(limit) + " in " + workerName
                + ", which was killed and replaced");
        this.task = task;
        this.limit = limit;
        this.workerName = workerName;
    }

    /** {@return {@code d} for people: {@code "250 ms"}, {@code "10 s"}, {@code "1.5 s"}} */
    static String describe(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.3f s", millis / 1000.0);
    }

    /** {@return what the task was, as in the message} */
    public String task() {
        return task;
    }

    /** {@return how long the task was allowed to run (for a chunk of n tasks, n times the pool's limit)} */
    public Duration limit() {
        return limit;
    }

    /** {@return the name of the worker that ran it, killed since} */
    public String workerName() {
        return workerName;
    }
}
