package org.multiprocessing4j;

import java.io.Serial;
import org.multiprocessing4j.spi.LockBackend;

/**
 * A lock shared by processes: Python's {@code multiprocessing.Lock}, and a
 * {@link java.util.concurrent.locks.Lock}.
 *
 * <p>The lock lives in the process that created it; a target that captures it uses the same
 * lock in the child. Any thread of any process may release it (as in Python); releasing it
 * while it is free is an error. When a process dies holding it, the lock passes to the next
 * waiter, which is told on its {@code System.err} that what the lock protected may be
 * inconsistent (where Python would deadlock).
 *
 * @since 0.1
 */
public final class Lock extends LockSupport {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A new, free lock owned by this process. */
    public Lock() {
        super(false);
    }

    /** @param backend an existing lock's backend (a remote manager's) */
    Lock(LockBackend backend) {
        super(backend);
    }
}
