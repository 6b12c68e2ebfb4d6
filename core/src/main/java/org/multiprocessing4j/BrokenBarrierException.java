package org.multiprocessing4j;

import java.io.Serial;

/**
 * A {@link Barrier} is broken, or was reset or aborted while a party waited: Python's
 * {@code threading.BrokenBarrierError}. Unchecked, unlike
 * {@link java.util.concurrent.BrokenBarrierException}, as the library's other exceptions are.
 *
 * @since 0.1
 */
public class BrokenBarrierException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * A broken-barrier failure.
     *
     * @param message why the barrier is broken
     */
    public BrokenBarrierException(String message) {
        super(message);
    }

    /**
     * A broken-barrier failure caused by another.
     *
     * @param message why the barrier is broken
     * @param cause   the failure that broke it (a barrier action's exception)
     */
    public BrokenBarrierException(String message, Throwable cause) {
        super(message, cause);
    }
}
