package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import org.multiprocessing4j.spi.ConditionBackend;

/**
 * A remote manager's {@code Condition}, in its client. Its lock is a {@link RemoteLockBackend}
 * of the same server, so the server waits and re-acquires on the same server thread that
 * acquired the lock for this client thread.
 */
final class RemoteConditionBackend extends RemoteBackend implements ConditionBackend {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Class<?>[] AWAIT = {long.class, boolean.class};

    RemoteConditionBackend(ServerLink link, long id, String server) {
        super(link, id, server);
    }

    @Override
    public boolean await(long timeoutNanos, boolean interruptible) throws InterruptedException {
        return (Boolean) (interruptible ? waiting("await", AWAIT, timeoutNanos, true)
                : now("await", AWAIT, timeoutNanos, false));
    }

    @Override
    public void signal(int n) {
        now("signal", INT, n);
    }
}
