package org.multiprocessing4j.cluster.hazelcast;

import java.io.Serial;
import org.multiprocessing4j.spi.ConditionBackend;
import org.multiprocessing4j.spi.Handles;
import org.multiprocessing4j.spi.LockBackend;

/**
 * A {@code Condition} whose waiters are a record in the cluster ({@link ConditionRecord}), over
 * the backend of its lock (the cluster's, or any other). A waiter joins the record while it
 * holds the lock, lets the lock go, and waits — as every waiter of this transport does — by
 * asking again each time the record changes; a signal marks the oldest waiters in the record.
 * When the condition's owner leaves, a waiter fails with
 * {@link org.multiprocessing4j.ProcessGoneException} (after re-acquiring the lock, if it still
 * can).
 *
 * @param key  the record's key
 * @param lock the backend of the condition's lock
 */
record ClusterCondition(String key, LockBackend lock) implements ConditionBackend {
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

    static ClusterCondition create(ClusterNode node, LockBackend lock) {
        return new ClusterCondition(node.create(State.Kind.CONDITION, 0), lock);
    }

    @Override
    public boolean await(long timeoutNanos, boolean interruptible) throws InterruptedException {
        ClusterNode node = ClusterNode.current();
        ClusterNode.check(node.call(key, Op.Code.COND_JOIN, 0, 0, true));
        int holds;
        try {
            holds = lock.releaseAll();
        } catch (RuntimeException failed) {
            leave(node);
            throw failed;
        }
        try {
            return awaitSignal(node, timeoutNanos, interruptible);
        } finally {
            lock.reacquire(holds);
        }
    }

    /**
     * {@return true if signalled; false if the time ran out}
     *
     * @throws InterruptedException if interruptible, interrupted, and not signalled first
     */
    private boolean awaitSignal(ClusterNode node, long timeoutNanos, boolean interruptible) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean interrupted = false;
        try {
            while (true) {
                long left = timeoutNanos < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
                try {
                    Answer polled = ClusterNode.check(node.await(key, Op.Code.COND_WAIT, 0, left, true));
                    // Leaving tells whether a signal came between the last poll and now.
                    boolean signalled = leave(node);
                    return polled.status() == Answer.Status.OK || signalled;
                } catch (InterruptedException e) {
                    if (!interruptible) {
                        interrupted = true;
                    } else if (leave(node)) {
                        interrupted = true;
                        return true;
                    } else {
                        throw e;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@return whether a signal had reached this thread before it left the waiters} */
    private boolean leave(ClusterNode node) {
        return ClusterNode.check(node.call(key, Op.Code.COND_LEAVE, 0, 0, true)).number() == 1;
    }

    @Override
    public void signal(int n) {
        ClusterNode.check(ClusterNode.current().call(key, Op.Code.COND_SIGNAL, n, 0, false));
    }
}
