package org.multiprocessing4j;

import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.pool.FailureReport;

/**
 * One place for a worker in a pool, filled by a succession of worker processes: its inbox, the
 * process there now, and the one chunk that process holds. Guarded by the pool's lock.
 */
final class WorkerSlot {
    /** Chunks for this slot's worker; at most one waits here at any time. Owned by the pool. */
    final Queue<Object> inbox = new Queue<>();

    /** The current worker's number (its name is {@code PoolWorker-<number>}), 0 before the first. */
    int number;
    @Nullable Process process;
    /** True while a worker process is being started for this slot. */
    boolean starting;
    /** The chunk the worker holds: put in its inbox and not answered yet. */
    @Nullable Chunk assigned;
    /** When the assigned chunk overruns its limit ({@link System#nanoTime()}), if it has one. */
    long deadline;
    boolean hasDeadline;
    int chunksDone;
    /** Told to stop (maxTasksPerChild reached, or the pool is closing); its exit is no death. */
    boolean retiring;
    boolean outOfMemory;
    @Nullable FailureReport initializerFailure;

    String name() {
        return "PoolWorker-" + number;
    }

    void reset(int newNumber) {
        number = newNumber;
        process = null;
        assigned = null;
        hasDeadline = false;
        chunksDone = 0;
        retiring = false;
        outOfMemory = false;
        initializerFailure = null;
    }
}
