package org.multiprocessing4j;

import java.io.Serial;
import org.multiprocessing4j.spi.LockBackend;

/**
 * A reentrant lock shared by processes: Python's {@code multiprocessing.RLock}. Its holder is
 * one thread of one process, which may acquire it again and must release it as often; a
 * release by anyone else is an error. A holder that dies releases it, and the next acquirer
 * is told.
 *
 * @since 0.1
 */
public final class RLock extends LockSupport {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A new, free reentrant lock owned by this process. */
    public RLock() {
        super(true);
    }

    /**
     * A lock over an existing reentrant lock's backend.
     *
     * @param backend the backend (a remote manager's)
     */
    RLock(LockBackend backend) {
        super(backend);
    }

    /** {@return whether the calling thread (of this process) holds the lock} */
    public boolean isHeldByCurrentThread() {
        return backend().isHeldByCurrentThread();
    }
}
