package org.multiprocessing4j;

import java.io.Serial;

/**
 * The root of this library's unchecked exceptions (Python's {@code multiprocessing.ProcessError}).
 *
 * @since 0.1
 */
public class MultiprocessingException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the object or value concerned
     */
    public MultiprocessingException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, naming the object or value concerned
     * @param cause   the underlying failure
     */
    public MultiprocessingException(String message, Throwable cause) {
        super(message, cause);
    }
}
