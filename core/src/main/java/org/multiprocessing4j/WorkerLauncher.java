package org.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.pool.WorkerLoop;

/**
 * Starts a pool's worker processes into its slots, and ends them. A worker must report that it
 * runs within the start deadline ({@link Pool.Builder#startTimeout(Duration)}), or it is killed;
 * a worker that cannot start counts as a death.
 */
final class WorkerLauncher {
    private final PoolEngine engine;
    private final Context context;
    private final @Nullable ProcessTarget initializer;
    private final Duration startTimeout;
    private int nextWorkerNumber;

    WorkerLauncher(PoolEngine engine, Context context, @Nullable ProcessTarget initializer, Duration startTimeout) {
        this.engine = engine;
        this.context = context;
        this.initializer = initializer;
        this.startTimeout = startTimeout;
    }

    /** Starts a worker in every slot, in parallel; throws the first failure. */
    void startAll() {
        checkInitializer();
        AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();
        List<Thread> starters = new ArrayList<>();
        for (WorkerSlot slot : engine.slots) {
            starters.add(Thread.ofVirtual().start(() -> {
                try {
                    start(slot);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : starters) {
            ConnectionWait.joinUninterruptibly(t);
        }
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    /** Starts a replacement on a thread of its own, so that the caller goes on meanwhile. */
    void startInBackground(WorkerSlot slot) {
        Thread.ofVirtual().name(engine.name + " starter").start(() -> {
            try {
                start(slot);
            } catch (RuntimeException countedAsADeath) {
                // the slot stays empty; the handler tries again unless the pool broke
            }
        });
    }

    /**
     * Encodes the initializer once, so that one the codec cannot carry fails the pool's build
     * naming it, not as the failure of a wrapper of ours in each worker's start.
     *
     * @throws CodecException if it cannot be encoded
     */
    private void checkInitializer() {
        if (initializer == null) {
            return;
        }
        try {
            context.codec().encode(initializer);
        } catch (CodecException e) {
            throw new CodecException("the pool's initializer cannot be sent to its workers: " + e.getMessage(), e);
        }
    }

    /** {@return what a worker process runs; static, so that it captures nothing else} */
    private static ProcessTarget workerTarget(int number, Queue<Object> inbox, Queue<Object> results,
                                              @Nullable ProcessTarget initializer) {
        return () -> WorkerLoop.run(number, inbox, results, initializer);
    }

    /** Starts a worker in {@code slot}; a failure counts as a death, and is thrown. */
    private void start(WorkerSlot slot) {
        int number;
        synchronized (engine.lock) {
            number = ++nextWorkerNumber;
            slot.reset(number);
            slot.starting = true;
        }
        Process p = context.process(workerTarget(number, slot.inbox, engine.results, initializer));
        p.setName(slot.name());
        p.setDaemon(true);
        try {
            p.start(startTimeout);
        } catch (RuntimeException e) {
            synchronized (engine.lock) {
                slot.starting = false;
                engine.countDeathLocked(new WorkerDiedException(slot.name() + " could not be started: "
                        + e.getMessage(), slot.name(), null, false, e));
            }
            engine.outbox.flush();
            throw e;
        }
        boolean kill;
        synchronized (engine.lock) {
            slot.starting = false;
            slot.process = p;
            kill = engine.terminated;
            if (!kill) {
                engine.dispatchLocked();
            }
        }
        if (kill) {
            kill(p);
        }
    }

    /** Sends SIGKILL to a worker, which may have ended and been reaped meanwhile. */
    static void kill(Process p) {
        try {
            p.kill();
        } catch (IllegalStateException endedAndClosed) {
            // it ended by itself meanwhile
        }
    }

    /** Waits a little for an ended worker and releases its pipes. */
    static void reap(Process p) {
        try {
            if (p.join(Duration.ofSeconds(5))) {
                p.close();
            }
        } catch (InterruptedException | RuntimeException e) {
            // its output may be cut short; nothing else depends on it
        }
    }
}
