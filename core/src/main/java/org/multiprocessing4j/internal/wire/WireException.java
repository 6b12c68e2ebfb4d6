package org.multiprocessing4j.internal.wire;

import java.io.Serial;
import org.multiprocessing4j.MultiprocessingException;

/**
 * A link carried bytes that are not a valid frame: truncated, oversize, or not an envelope.
 * The message names the link. The link is out of step after this and should be closed.
 *
 * @since 0.1
 */
public class WireException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Makes an exception with a message.
     *
     * @param message what is wrong, naming the link
     */
    public WireException(String message) {
        super(message);
    }

    /**
     * Makes an exception with a message and a cause.
     *
     * @param message what is wrong, naming the link
     * @param cause   the underlying failure
     */
    public WireException(String message, Throwable cause) {
        super(message, cause);
    }
}
