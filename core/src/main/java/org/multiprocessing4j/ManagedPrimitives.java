package org.multiprocessing4j;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.manager.PrimitiveMaker;
import org.multiprocessing4j.spi.BarrierBackend;
import org.multiprocessing4j.spi.ConditionBackend;
import org.multiprocessing4j.spi.EventBackend;
import org.multiprocessing4j.spi.LockBackend;
import org.multiprocessing4j.spi.QueueBackend;
import org.multiprocessing4j.spi.SemaphoreBackend;

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

    @Override
    public List<Object> backends(Object primitive) {
        return switch (primitive) {
            case Queue<?> q -> List.of(q.backend());
            case LockSupport l -> List.of(l.backend());
            case Semaphore s -> List.of(s.backend());
            case Condition c -> List.of(c.lock().backend(), c.backend());
            case Event e -> List.of(e.backend());
            case Barrier b -> List.of(b.backend());
            default -> throw new IllegalArgumentException("a manager makes no primitive of class "
                    + primitive.getClass().getName());
        };
    }

    /**
     * A primitive of a remote manager, in the client: the public class around the server's
     * backends (as {@link #backends} listed them), reached through the client's connection.
     *
     * @param kind     its kind
     * @param backends the backends' proxies
     * @param args     the arguments {@link #make} was given
     * @return the primitive
     */
    static Object assemble(String kind, List<Object> backends, @Nullable Object[] args) {
        Object b = backends.getFirst();
        return switch (kind) {
            case QUEUE -> new Queue<>((QueueBackend) b, intArg(args, 0));
            case JOINABLE_QUEUE -> new JoinableQueue<>((QueueBackend) b, intArg(args, 0));
            case LOCK -> new Lock((LockBackend) b);
            case RLOCK -> new RLock((LockBackend) b);
            case SEMAPHORE -> new Semaphore((SemaphoreBackend) b);
            case BOUNDED_SEMAPHORE -> new BoundedSemaphore((SemaphoreBackend) b);
            case CONDITION -> new Condition(args.length > 0 && args[0] instanceof LockSupport given ? given
                    : new RLock((LockBackend) b), (ConditionBackend) backends.get(1));
            case EVENT -> new Event((EventBackend) b);
            case BARRIER -> new Barrier((BarrierBackend) b, intArg(args, 0), (ProcessTarget) args[1], (Duration) args[2]);
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
