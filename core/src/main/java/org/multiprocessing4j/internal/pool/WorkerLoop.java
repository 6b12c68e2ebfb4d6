package org.multiprocessing4j.internal.pool;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.ProcessTarget;
import org.multiprocessing4j.Queue;

/**
 * What a pool's worker process runs: the initializer once, then chunks from its own inbox, one
 * at a time, each answered on the pool's result queue, until told to stop.
 *
 * <p>An {@link OutOfMemoryError} ends the worker: the JVM may be left in no state to go on. It
 * reports the error first (best effort: the memory the task held is free by then) and exits with
 * {@link #OUT_OF_MEMORY_EXIT}, as {@code -XX:+ExitOnOutOfMemoryError} would.
 */
public final class WorkerLoop {
    /** The exit code of a worker that ran out of memory. */
    public static final int OUT_OF_MEMORY_EXIT = 3;

    private WorkerLoop() {
    }

    /**
     * Runs in the worker process.
     *
     * @param worker      the worker's number in its pool
     * @param inbox       the pool's queue of chunks for this worker
     * @param results     the pool's result queue
     * @param initializer run once first, or null
     * @throws Exception what the initializer throws, after it was reported (exit code 1)
     */
    public static void run(int worker, Queue<Object> inbox, Queue<Object> results,
                           @Nullable ProcessTarget initializer) throws Exception {
        Codec codec = Multiprocessing.getContext().codec();
        if (initializer != null) {
            try {
                initializer.run();
            } catch (Throwable t) {
                results.put(new PoolMessages.InitializerFailed(worker, FailureReport.of(t, codec)));
                throw t;
            }
        }
        try {
            while (true) {
                if (!(inbox.get() instanceof PoolMessages.Task task)) {
                    return;
                }
                runTask(worker, task, results, codec);
            }
        } catch (ProcessGoneException poolGone) {
            // the pool's process is gone: nothing to report to
        }
    }

    private static void runTask(int worker, PoolMessages.Task task, Queue<Object> results, Codec codec)
            throws InterruptedException {
        PoolMessages.ChunkDone done;
        try {
            done = execute(worker, task, codec);
        } catch (OutOfMemoryError e) {
            reportOutOfMemory(worker, results);
            System.exit(OUT_OF_MEMORY_EXIT);
            return;
        }
        try {
            results.put(done);
        } catch (OutOfMemoryError e) {
            reportOutOfMemory(worker, results);
            System.exit(OUT_OF_MEMORY_EXIT);
        } catch (RuntimeException tooLargeOrUnsendable) {
            // The results cannot travel (larger than the frame limit, say): the chunk fails,
            // the worker lives on.
            results.put(new PoolMessages.ChunkDone(worker, task.chunkId(), null,
                    FailureReport.of(tooLargeOrUnsendable, codec)));
        }
    }

    private static void reportOutOfMemory(int worker, Queue<Object> results) {
        try {
            results.put(new PoolMessages.OutOfMemory(worker));
        } catch (Throwable ignored) {
            // best effort: the pool then reports the exit code alone
        }
    }

    private static PoolMessages.ChunkDone execute(int worker, PoolMessages.Task task, Codec codec) {
        try {
            PoolMessages.ChunkWork work = (PoolMessages.ChunkWork) codec.decode(task.work());
            if (work == null) {
                throw new IllegalStateException("empty chunk " + task.chunkId());
            }
            List<@Nullable Object> values = new ArrayList<>(work.arguments().size());
            for (Object argument : work.arguments()) {
                values.add(work.function().apply(argument));
            }
            return new PoolMessages.ChunkDone(worker, task.chunkId(), codec.encode(values), null);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable t) {
            return new PoolMessages.ChunkDone(worker, task.chunkId(), null, FailureReport.of(t, codec));
        }
    }
}
