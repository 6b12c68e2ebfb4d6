package org.multiprocessing4j.cluster.hazelcast;

import java.io.Serial;
import org.multiprocessing4j.spi.Handles;
import org.multiprocessing4j.spi.LockBackend;

/**
 * A {@code Lock} or {@code RLock} whose state is a record in the cluster. The holder is a
 * thread of a process (its session and thread id); a plain lock may be released by anyone.
 *
 * @param key       the record's key
 * @param reentrant true for an RLock
 */
record ClusterLock(String key, boolean reentrant) implements LockBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@return this, or a manager's proxy of it when a manager encodes it for a client} */
    @Serial
    private Object writeReplace() {
        return Handles.forClient(this);
    }

    /** Decoded in a process: it joins the cluster in the background, so the first call waits less. */
    @Serial
    private Object readResolve() {
        ClusterNode.prestart();
        return this;
    }

    static ClusterLock create(ClusterNode node, boolean reentrant) {
        State.Kind kind = reentrant ? State.Kind.RLOCK : State.Kind.LOCK;
        return new ClusterLock(node.create(kind, 0), reentrant);
    }

    @Override
    public boolean acquire(long timeoutNanos) throws InterruptedException {
        return acquire(1, timeoutNanos);
    }

    private boolean acquire(int holds, long timeoutNanos) throws InterruptedException {
        return ClusterNode.granted(ClusterNode.current().await(key, Op.Code.LOCK_ACQUIRE, holds, timeoutNanos, true),
                died -> "the lock " + key + " was acquired after its previous holder, " + died
                        + ", died holding it; what it protected may be inconsistent");
    }

    @Override
    public void release() {
        ClusterNode.now(key, Op.Code.LOCK_RELEASE, true);
    }

    @Override
    public boolean isLocked() {
        return ClusterNode.now(key, Op.Code.LOCK_IS_LOCKED, true).number() == 1;
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return ClusterNode.now(key, Op.Code.LOCK_HELD, true).number() == 1;
    }

    @Override
    public long fencingToken() {
        return ClusterNode.now(key, Op.Code.LOCK_FENCE, true).number();
    }

    @Override
    public int releaseAll() {
        return (int) ClusterNode.now(key, Op.Code.LOCK_RELEASE_ALL, true).number();
    }

    @Override
    public void reacquire(int holds) {
        boolean interrupted = false;
        while (true) {
            try {
                acquire(holds, -1);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
