package org.multiprocessing4j;

import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ExitCodes;

/**
 * Counts a pool's worker deaths in a row and says when the pool is broken; names the cause of
 * a death. Guarded by the pool's lock.
 */
final class WorkerDeaths {
    private final String pool;
    private final int max;
    private int inRow;
    private @Nullable BrokenPoolException broken;

    WorkerDeaths(String pool, int max) {
        this.pool = pool;
        this.max = max;
    }

    /** {@return why the pool is broken, or null while it is not} */
    @Nullable BrokenPoolException broken() {
        return broken;
    }

    /** A chunk completed: the deaths so far were not in a row. */
    void resetLocked() {
        inRow = 0;
    }

    /**
     * Counts a death.
     *
     * @param terminated whether the pool is terminated (it cannot break any more)
     * @return the pool's breakage if this death broke it, else null
     */
    @Nullable BrokenPoolException countLocked(WorkerDiedException death, boolean terminated) {
        inRow++;
        if (broken != null || terminated || inRow < max) {
            return null;
        }
        broken = new BrokenPoolException(pool + " is broken: " + inRow
                + " workers died in a row with no task completed in between; the last: " + death.getMessage(), death);
        return broken;
    }

    /**
     * {@return why the worker died, naming it and the cause}
     *
     * @param slot    the slot of the worker that ended
     * @param process the worker that ended
     * @param code    its exit code, or null if unknown
     * @param codec to decode what its initializer threw
     */
    static WorkerDiedException describe(WorkerSlot slot, Process process, @Nullable Integer code, Codec codec) {
        String host = process.host();
        String lost = process.lostReason();
        String worker = slot.name() + (host == null ? "" : " on " + host);
        String exit = code == null ? "an unknown exit code"
                : lost != null ? "its exit code unknown, lost: " + lost : ExitCodes.describe(code);
        Throwable reported = slot.initializerFailure == null ? null : slot.initializerFailure.decode(codec);
        String how = slot.outOfMemory ? "ran out of memory (" + exit + ")"
                : reported != null ? "died in its initializer (" + exit + "): " + reported
                : "died with " + exit;
        return new WorkerDiedException(worker + " " + how, slot.name(), code, slot.outOfMemory, reported);
    }
}
