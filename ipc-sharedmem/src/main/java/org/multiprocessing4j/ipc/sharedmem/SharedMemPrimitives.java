package org.multiprocessing4j.ipc.sharedmem;

import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.BarrierBackend;
import org.multiprocessing4j.spi.ConditionBackend;
import org.multiprocessing4j.spi.EventBackend;
import org.multiprocessing4j.spi.LockBackend;
import org.multiprocessing4j.spi.NativePrimitives;
import org.multiprocessing4j.spi.PipeBackend;
import org.multiprocessing4j.spi.QueueBackend;
import org.multiprocessing4j.spi.SemaphoreBackend;

/**
 * The primitives this transport keeps in shared memory: {@code Lock}, {@code RLock},
 * {@code Semaphore}, {@code BoundedSemaphore}, {@code Event} and the queues (but a bounded
 * queue larger than {@link QueueDescriptor#MAX_CAPACITY}), {@code Condition} and {@code Barrier}
 * (but one of more than {@link BarrierDescriptor#MAX_PARTIES} parties) and {@code Pipe}.
 */
final class SharedMemPrimitives implements NativePrimitives {
    @Override
    public LockBackend lock(boolean reentrant) {
        return SharedLock.create(reentrant);
    }

    @Override
    public SemaphoreBackend semaphore(int value, boolean bounded) {
        return SharedSemaphore.create(value, bounded);
    }

    @Override
    public EventBackend event() {
        return SharedEvent.create();
    }

    @Override
    public ConditionBackend condition(LockBackend lock) {
        return SharedCondition.create(lock);
    }

    @Override
    public @Nullable BarrierBackend barrier(int parties, boolean hasAction) {
        return SharedBarrier.create(parties, hasAction);
    }

    @Override
    public PipeBackend pipe() {
        return SharedPipe.open();
    }

    @Override
    public @Nullable QueueBackend queue(int maxsize) {
        return SharedQueue.create(maxsize);
    }
}
