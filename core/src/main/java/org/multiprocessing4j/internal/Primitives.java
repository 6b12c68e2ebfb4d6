package org.multiprocessing4j.internal;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.broker.BrokerBarrier;
import org.multiprocessing4j.internal.broker.BrokerCondition;
import org.multiprocessing4j.internal.broker.BrokerEvent;
import org.multiprocessing4j.internal.broker.BrokerLock;
import org.multiprocessing4j.internal.broker.BrokerPipe;
import org.multiprocessing4j.internal.broker.BrokerQueue;
import org.multiprocessing4j.internal.broker.BrokerSemaphore;
import org.multiprocessing4j.internal.broker.OnBehalf;
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
 * Where a new primitive comes from: the transport's native implementation when it has one,
 * else core's broker. One method per kind; the public classes call nothing else of core's
 * internals but {@link #timeoutNanos}.
 */
public final class Primitives {
    /** For tests only: what replaces the transport's native primitives; see {@link #useForTests}. */
    private static volatile @Nullable NativePrimitives forTests;

    private Primitives() {
    }

    /**
     * {@return the backend of a new lock}
     *
     * @param reentrant true for an RLock
     */
    public static LockBackend lock(boolean reentrant) {
        return choose(n -> n.lock(reentrant), () -> BrokerLock.create(reentrant));
    }

    /**
     * {@return the backend of a new semaphore}
     *
     * @param value   the initial number of permits, at least 0
     * @param bounded true for a BoundedSemaphore
     */
    public static SemaphoreBackend semaphore(int value, boolean bounded) {
        return choose(n -> n.semaphore(value, bounded), () -> BrokerSemaphore.create(value, bounded));
    }

    /**
     * {@return the transport's place for the bytes of a new Value or Array, all zeros; or null
     * for core's shared memory of this host}
     *
     * @param byteSize how many bytes
     */
    public static @Nullable SharedDataBackend sharedData(long byteSize) {
        NativePrimitives natives = natives();
        return natives == null ? null : natives.sharedData(byteSize);
    }

    /** {@return the backend of a new event, not set} */
    public static EventBackend event() {
        return choose(NativePrimitives::event, BrokerEvent::create);
    }

    /**
     * {@return the backend of a new condition over it}
     *
     * @param lock the backend of the condition's lock
     */
    public static ConditionBackend condition(LockBackend lock) {
        return choose(n -> n.condition(lock), () -> BrokerCondition.create(lock));
    }

    /**
     * {@return the backend of a new barrier}
     *
     * @param parties   how many parties each round waits for, at least 1
     * @param hasAction whether the last party of each round runs an action
     */
    public static BarrierBackend barrier(int parties, boolean hasAction) {
        return choose(n -> n.barrier(parties, hasAction), () -> BrokerBarrier.create(parties, hasAction));
    }

    /**
     * {@return the backend of a new queue}
     *
     * @param maxsize the most items held; 0 for no limit
     */
    public static QueueBackend queue(int maxsize) {
        return choose(n -> n.queue(maxsize), () -> BrokerQueue.create(maxsize));
    }

    /** {@return the backend of a new pipe, both ends held by this process} */
    public static PipeBackend pipe() {
        return choose(NativePrimitives::pipe, BrokerPipe::open);
    }

    /**
     * {@return {@code d} in nanoseconds, {@link Long#MAX_VALUE} (or {@link Long#MIN_VALUE}) for
     * one too long to count so} A user's "forever" ({@code ChronoUnit.FOREVER.getDuration()},
     * say) is a long wait, not an {@link ArithmeticException}.
     *
     * @param d a duration
     */
    public static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * {@return the backends' form of a timeout: negative forever, zero not at all (for a zero or
     * negative timeout), else nanoseconds (at least 1)}
     *
     * @param timeout null to wait forever
     */
    public static long timeoutNanos(@Nullable Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            return 0;
        }
        try {
            return Math.max(1, timeout.toNanos());
        } catch (ArithmeticException tooLong) {
            return -1;
        }
    }

    /** A backend's call with timeout zero, whose signature still allows an interrupt. */
    @FunctionalInterface
    public interface ZeroWait {
        /**
         * {@return the call's answer}
         *
         * @throws InterruptedException if the backend was interrupted after all
         */
        boolean call() throws InterruptedException;
    }

    /**
     * Makes a call that does not wait uninterruptible: the interrupt flag is cleared for the
     * call and set again after it.
     *
     * @param call the call, with timeout zero
     * @return its answer, or false if it was interrupted nonetheless
     */
    public static boolean withoutWaiting(ZeroWait call) {
        boolean interrupted = Thread.interrupted();
        try {
            return call.call();
        } catch (InterruptedException e) {
            interrupted = true;
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * For tests only: makes every primitive created from now on ask {@code natives} instead of
     * the transport (which is then not even made), until the returned handle is closed.
     * Not for concurrent tests: there is one such setting per JVM.
     *
     * @param natives the native primitives to use
     * @return a handle whose {@code close()} goes back to the transport's
     */
    static AutoCloseable useForTests(NativePrimitives natives) {
        forTests = natives;
        return () -> forTests = null;
    }

    private static <T> T choose(Function<NativePrimitives, @Nullable T> nativeOne, Supplier<T> broker) {
        NativePrimitives natives = natives();
        T made = natives == null ? null : nativeOne.apply(natives);
        return made != null ? made : broker.get();
    }

    /** {@return the native primitives to ask, or null for core's own} */
    private static @Nullable NativePrimitives natives() {
        if (OnBehalf.active()) {
            return null; // made for a remote client: only the broker's know holders by address
        }
        NativePrimitives natives = forTests;
        return natives != null ? natives : ProcessRuntime.current().transport().nativePrimitives();
    }
}
