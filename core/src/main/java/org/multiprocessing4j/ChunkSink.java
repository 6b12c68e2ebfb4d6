package org.multiprocessing4j;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the outcome of one chunk goes: an {@link AsyncResult}, a map's collector, an imap's
 * iterator. Called once per chunk, never under the pool's lock, from any thread.
 */
interface ChunkSink {

    /** @param values the chunk's results, one per argument, in order */
    void succeeded(List<@Nullable Object> values);

    /**
     * @param message what failed, for the {@link PoolTaskException}
     * @param cause   why
     */
    void failed(String message, Throwable cause);
}
