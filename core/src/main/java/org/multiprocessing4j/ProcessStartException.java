package org.multiprocessing4j;

import java.io.Serial;

/**
 * A child process could not be started, or ended before running its target: the java binary
 * is missing, the bootstrap class is not on the child's class path, or the target could not be
 * decoded there. The message says which, with the child's own words where it printed any.
 *
 * @since 0.1
 */
public class ProcessStartException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the process
     */
    public ProcessStartException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the process
     * @param cause   the underlying failure
     */
    public ProcessStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
