package org.multiprocessing4j;

import java.io.Serial;

/**
 * The process that owns an object (a queue, a lock, ...), or the one on the other end of a
 * connection, is gone: calls on the object cannot complete. Thrown instead of waiting forever.
 *
 * @since 0.1
 */
public class ProcessGoneException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which process is gone and what could not be done
     */
    public ProcessGoneException(String message) {
        super(message);
    }
}
