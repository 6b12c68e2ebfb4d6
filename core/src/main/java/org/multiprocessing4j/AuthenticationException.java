package org.multiprocessing4j;

import java.io.Serial;

/**
 * A connection failed to prove the authkey, or the peer did not (Python's
 * {@code multiprocessing.AuthenticationError}). The connection is closed; nothing it sent was
 * decoded.
 *
 * @since 0.1
 */
public class AuthenticationException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message who failed to prove what, and what was received instead
     */
    public AuthenticationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message who failed to prove what
     * @param cause   the underlying failure
     */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
