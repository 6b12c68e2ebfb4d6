package org.multiprocessing4j.cluster.hazelcast;

import java.io.Serial;
import org.multiprocessing4j.spi.EventBackend;
import org.multiprocessing4j.spi.Handles;

/**
 * An {@code Event} whose flag is a record in the cluster.
 *
 * @param key the record's key
 */
record ClusterEvent(String key) implements EventBackend {
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

    static ClusterEvent create(ClusterNode node) {
        return new ClusterEvent(node.create(State.Kind.EVENT, 0));
    }

    @Override
    public void set() {
        ClusterNode.now(key, Op.Code.EVENT_SET, false);
    }

    @Override
    public void clear() {
        ClusterNode.now(key, Op.Code.EVENT_CLEAR, false);
    }

    @Override
    public boolean isSet() {
        return ClusterNode.now(key, Op.Code.EVENT_IS_SET, false).number() == 1;
    }

    @Override
    public boolean await(long timeoutNanos) throws InterruptedException {
        Answer a = ClusterNode.check(ClusterNode.current().await(key, Op.Code.EVENT_WAIT, 0, timeoutNanos, false));
        return a.status() == Answer.Status.OK;
    }
}
