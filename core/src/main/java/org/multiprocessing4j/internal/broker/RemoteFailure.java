package org.multiprocessing4j.internal.broker;

import java.io.Serial;
import org.multiprocessing4j.MultiprocessingException;

/** A failure reply, as the caller sees it before mapping it to the API's exception. */
public final class RemoteFailure extends MultiprocessingException {
    @Serial
    private static final long serialVersionUID = 1L;
    private final int kind;

    /**
     * A failure reported by an owner.
     *
     * @param kind    a {@link FailureKind}
     * @param message the owner's words
     */
    public RemoteFailure(int kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** {@return the {@link FailureKind}} */
    public int kind() {
        return kind;
    }
}
