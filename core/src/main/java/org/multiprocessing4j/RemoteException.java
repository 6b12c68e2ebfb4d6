package org.multiprocessing4j;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Stands in for an exception thrown in another process that could not be carried here (it, or
 * something it refers to, could not be encoded, or its class is refused or missing here): it
 * keeps the original's class name, message and stack trace, and stand-ins for its causes.
 *
 * @since 0.1
 */
public class RemoteException extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The class name of the original exception. @serial */

    private final String remoteClassName;

    /**
     * Creates the stand-in of an exception that the codec could not carry.
     *
     * @param remoteClassName the class of the original exception
     * @param message         its message, or null
     * @param cause           a stand-in for its cause, or null
     */
    public RemoteException(String remoteClassName, @Nullable String message, @Nullable Throwable cause) {
        super(message == null ? "" : message, cause);
        this.remoteClassName = remoteClassName;
    }

    /** {@return the class name of the exception this one stands for} */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** {@return the original's class name and message, marked as a stand-in} */
    @Override
    public String toString() {
        String message = getMessage();
        return remoteClassName + (message == null || message.isEmpty() ? "" : ": " + message)
                + " (remote, stood in for by " + RemoteException.class.getSimpleName() + ")";
    }
}
