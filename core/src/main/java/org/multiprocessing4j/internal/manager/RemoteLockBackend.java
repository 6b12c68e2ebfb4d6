package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import org.multiprocessing4j.spi.LockBackend;

/** A remote manager's {@code Lock} or {@code RLock}, in its client. */
final class RemoteLockBackend extends RemoteAcquiring implements LockBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    RemoteLockBackend(ServerLink link, long id, String server) {
        super(link, id, server);
    }

    @Override
    public boolean isLocked() {
        return (Boolean) now("isLocked", NONE);
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return (Boolean) now("isHeldByCurrentThread", NONE);
    }

    @Override
    public long fencingToken() {
        return (Long) now("fencingToken", NONE);
    }

    @Override
    public int releaseAll() {
        return (Integer) now("releaseAll", NONE);
    }

    @Override
    public void reacquire(int holds) {
        now("reacquire", INT, holds);
    }
}
