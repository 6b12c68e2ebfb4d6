package org.multiprocessing4j;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.manager.PrimitiveMaker;

/**
 * Makes the process primitives a {@link Manager} offers, in its server process: the ordinary
 * classes, created there, so their handles name the server as owner and work in every process
 * of the tree like any primitive (with the transport's native implementation where it has one).
 */
final class ManagedPrimitives implements PrimitiveMaker {
    static final String QUEUE = "Queue";
    static final String JOINABLE_QUEUE = "JoinableQueue";
    static final String LOCK = "Lock";
    static final String RLOCK = "RLock";
    static final String SEMAPHORE = "Semaphore";
    static final String BOUNDED_SEMAPHORE = "BoundedSemaphore";
    static final String CONDITION = "Condition";
    static final String EVENT = "Event";
    static final String BARRIER = "Barrier";

    @Override
    public Object make(String kind, @Nullable Object[] args) {
        return switch (kind) {
            case QUEUE -> new Queue<>(intArg(args, 0));
            case JOINABLE_QUEUE -> new JoinableQueue<>(intArg(args, 0));
            case LOCK -> new Lock();
            case RLOCK -> new RLock();
            case SEMAPHORE -> new Semaphore(intArg(args, 0));
            case BOUNDED_SEMAPHORE -> new BoundedSemaphore(intArg(args, 0));
            case CONDITION -> args.length == 0 || args[0] == null ? new Condition()
                    : args[0] instanceof RLock r ? new Condition(r) : new Condition((Lock) args[0]);
            case EVENT -> new Event();
            case BARRIER -> new Barrier(intArg(args, 0), (ProcessTarget) args[1], (Duration) args[2]);
            default -> throw new IllegalArgumentException("a manager makes no primitive of kind '" + kind + "'");
        };
    }

    private static int intArg(@Nullable Object[] args, int index) {
        if (args.length <= index || !(args[index] instanceof Integer i)) {
            throw new IllegalArgumentException("argument " + index + " must be an int");
        }
        return i;
    }
}
