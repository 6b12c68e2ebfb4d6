package org.multiprocessing4j.internal;

import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.broker.BrokerLock;
import org.multiprocessing4j.internal.broker.BrokerQueue;
import org.multiprocessing4j.spi.LockBackend;
import org.multiprocessing4j.spi.NativePrimitives;
import org.multiprocessing4j.spi.QueueBackend;

/**
 * Where a new primitive comes from: the transport's native implementation when it has one,
 * else core's broker.
 */
public final class Primitives {
    private Primitives() {
    }

    /**
     * @param reentrant true for an RLock
     * @return the backend of a new lock
     */
    public static LockBackend lock(boolean reentrant) {
        return choose(n -> n.lock(reentrant), () -> BrokerLock.create(reentrant));
    }

    /**
     * @param maxsize the most items held; 0 for no limit
     * @return the backend of a new queue
     */
    public static QueueBackend queue(int maxsize) {
        return choose(n -> n.queue(maxsize), () -> BrokerQueue.create(maxsize));
    }

    private static <T> T choose(Function<NativePrimitives, @Nullable T> nativeOne, Supplier<T> broker) {
        NativePrimitives natives = ProcessRuntime.current().transport().nativePrimitives();
        T made = natives == null ? null : nativeOne.apply(natives);
        return made != null ? made : broker.get();
    }
}
