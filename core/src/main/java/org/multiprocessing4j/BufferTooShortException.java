package org.multiprocessing4j;

import java.io.Serial;

/**
 * A received message does not fit where it was asked to go: Python's
 * {@code multiprocessing.BufferTooShort}. The message has been taken from the connection and
 * is carried here whole, so nothing is lost and the connection stays usable.
 *
 * @since 0.1
 */
public class BufferTooShortException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The whole message. @serial */
    private final byte[] message;

    /**
     * Creates the exception, which carries the message that did not fit.
     *
     * @param text    what did not fit where
     * @param message the whole message; not copied
     */
    public BufferTooShortException(String text, byte[] message) {
        super(text);
        this.message = message;
    }

    /** {@return the whole message that did not fit (a copy)} */
    public byte[] message() {
        return message.clone();
    }
}
