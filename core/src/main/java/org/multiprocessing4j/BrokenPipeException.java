package org.multiprocessing4j;

import java.io.Serial;

/**
 * A message was sent on a {@link Connection} whose other end is closed: nobody can ever read
 * it (Python's {@code BrokenPipeError}). The message is dropped.
 *
 * @since 0.1
 */
public class BrokenPipeException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which connection, and why its other end is closed
     */
    public BrokenPipeException(String message) {
        super(message);
    }
}
