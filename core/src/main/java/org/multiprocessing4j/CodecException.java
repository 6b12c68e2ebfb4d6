package org.multiprocessing4j;

import java.io.Serial;

/**
 * A value could not be encoded for another process, or bytes from another process could not be
 * decoded. The message names the class concerned (Python's {@code PicklingError}).
 *
 * @since 0.1
 */
public class CodecException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be encoded or decoded, naming the class
     */
    public CodecException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what could not be encoded or decoded, naming the class
     * @param cause   the underlying failure
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
