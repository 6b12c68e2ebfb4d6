package org.multiprocessing4j;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * A pool's workers kept dying ({@link Pool.Builder#maxWorkerDeaths(int) maxWorkerDeaths} in a
 * row, with no task completed in between), so the pool stopped replacing them: tasks it had
 * not handed out yet, and every task submitted afterwards, fail with this as the cause of their
 * {@link PoolTaskException}. The cause of this exception is the last death.
 *
 * @since 0.1
 */
public class BrokenPoolException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the pool is broken
     * @param cause   the last worker death, or null
     */
    public BrokenPoolException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
