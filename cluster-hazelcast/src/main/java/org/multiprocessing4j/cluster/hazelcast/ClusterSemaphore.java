package org.multiprocessing4j.cluster.hazelcast;

import java.io.Serial;
import org.multiprocessing4j.spi.Handles;
import org.multiprocessing4j.spi.SemaphoreBackend;

/**
 * A {@code Semaphore} or {@code BoundedSemaphore} whose permits are counted in a record in the
 * cluster; a bounded one's record also counts the permits each process took, so that a process
 * that leaves gives them back.
 *
 * @param key the record's key
 */
record ClusterSemaphore(String key) implements SemaphoreBackend {
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

    static ClusterSemaphore create(ClusterNode node, int value, boolean bounded) {
        State.Kind kind = bounded ? State.Kind.BOUNDED_SEMAPHORE : State.Kind.SEMAPHORE;
        return new ClusterSemaphore(node.create(kind, value));
    }

    @Override
    public boolean acquire(long timeoutNanos) throws InterruptedException {
        return ClusterNode.granted(ClusterNode.current().await(key, Op.Code.SEM_ACQUIRE, 0, timeoutNanos, false),
                died -> "the semaphore " + key + " was acquired after " + died
                        + " died holding permits, which were given back; what they protected may be inconsistent");
    }

    @Override
    public void release() {
        ClusterNode.now(key, Op.Code.SEM_RELEASE, false);
    }

    @Override
    public int value() {
        return (int) ClusterNode.now(key, Op.Code.SEM_VALUE, false).number();
    }
}
