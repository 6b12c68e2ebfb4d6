package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.spi.BarrierBackend;
import org.multiprocessing4j.spi.ConditionBackend;
import org.multiprocessing4j.spi.EventBackend;
import org.multiprocessing4j.spi.LockBackend;
import org.multiprocessing4j.spi.NativePrimitives;
import org.multiprocessing4j.spi.PipeBackend;
import org.multiprocessing4j.spi.QueueBackend;
import org.multiprocessing4j.spi.SemaphoreBackend;
import org.multiprocessing4j.spi.SharedDataBackend;

/**
 * The primitives this transport keeps in the cluster: locks, semaphores, events, conditions,
 * barriers, queues, and the bytes of values and arrays; and pipes, whose record is in the
 * cluster and whose messages go from process to process ({@link PipeHost}).
 */
final class ClusterPrimitives implements NativePrimitives {
    private final HazelcastTransport transport;

    ClusterPrimitives(HazelcastTransport transport) {
        this.transport = transport;
    }

    @Override
    public LockBackend lock(boolean reentrant) {
        return ClusterLock.create(transport.node(), reentrant);
    }

    @Override
    public SemaphoreBackend semaphore(int value, boolean bounded) {
        return ClusterSemaphore.create(transport.node(), value, bounded);
    }

    @Override
    public EventBackend event() {
        return ClusterEvent.create(transport.node());
    }

    @Override
    public ConditionBackend condition(LockBackend lock) {
        return ClusterCondition.create(transport.node(), lock);
    }

    @Override
    public BarrierBackend barrier(int parties, boolean hasAction) {
        return ClusterBarrier.create(transport.node(), parties, hasAction);
    }

    @Override
    public QueueBackend queue(int maxsize) {
        return ClusterQueue.create(transport.node(), maxsize);
    }

    @Override
    public PipeBackend pipe() {
        return ClusterPipe.open(transport.node());
    }

    @Override
    public SharedDataBackend sharedData(long byteSize) {
        return ClusterData.create(transport.node(), byteSize);
    }
}
