package org.multiprocessing4j;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.pool.ChunkWire;

/**
 * Turns a worker's answer for a chunk into the chunk's outcome: its decoded values, or the
 * task's exception. A value or exception that does not decode fails this chunk alone.
 */
final class ChunkResults {
    private ChunkResults() {
    }

    /** Delivers {@code done} to the chunk's sink; runs outside the pool's lock. */
    static void deliver(Chunk chunk, ChunkWire.Done done, WorkerSlot.Worker worker, Codec codec) {
        byte[] values = done.values();
        if (values == null) {
            Throwable cause;
            try {
                cause = done.failure() == null
                        ? new IllegalStateException("no failure reported") : done.failure().decode(codec);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (RuntimeException | Error undecodable) {
                cause = undecodable;
            }
            chunk.sink().failed(chunk.describe() + " failed in " + worker + ": " + cause, cause);
            return;
        }
        List<@Nullable Object> decoded;
        try {
            decoded = ChunkWire.decodeValues(values, codec);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error e) {
            chunk.sink().failed("the results of " + chunk.describe() + " from " + worker + " could not be decoded: "
                    + e.getMessage(), e);
            return;
        }
        chunk.sink().succeeded(decoded);
    }
}
