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

    /**
     * {@return the exception for a message that does not fit in a buffer}, which names the
     * message's length, the room and the offset: what {@code Connection.recvBytesInto} throws,
     * and what a transport's receive into a buffer throws for it
     *
     * @param message the whole message; not copied
     * @param room    how many bytes the buffer has from the offset
     * @param offset  where the message was to go in the buffer
     * @since 0.1
     */
    public static BufferTooShortException of(byte[] message, int room, int offset) {
        return new BufferTooShortException("a message of " + message.length + " bytes does not fit in the " + room
                + " bytes after offset " + offset, message);
    }

    /** {@return the whole message that did not fit (a copy)} */
    public byte[] message() {
        return message.clone();
    }
}
