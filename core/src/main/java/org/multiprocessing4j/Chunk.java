package org.multiprocessing4j;

import java.util.List;

/**
 * A chunk of a pool: its work, encoded once, where its outcome goes, and what it is, for
 * messages.
 *
 * @param id          its number in the pool
 * @param function    its function, encoded (the same array for every chunk of one function
 *                    instance submitted in a row)
 * @param functionRef the function's number in the pool: equal encodings share one, and a
 *                    worker is sent the bytes only once ({@link WorkerCache})
 * @param arguments   its arguments, encoded ({@link org.multiprocessing4j.internal.pool.ChunkWire#encodeValues}),
 *                    large ones by number
 * @param shared      the large arguments named by number, with their bytes (usually none)
 * @param sink        where its outcome goes
 * @param label       what the chunk is, told as {@code "map(Squares::square) items 40-49"}
 * @param tasks       how many tasks (arguments) it holds
 */
record Chunk(long id, byte[] function, long functionRef, byte[] arguments, List<Shared> shared, ChunkSink sink,
             Label label, int tasks) {

    /** A large argument sent by number: its number in the pool, and its encoding. */
    record Shared(long ref, byte[] bytes) {
    }

    /**
     * What a chunk is, put together only when a message needs it (a submission must not pay for
     * reading a lambda's name).
     *
     * @param call      the pool method, such as {@code "map"}
     * @param task      the user's function or task
     * @param firstItem the index of its first argument in the call's items, or -1 for a single task
     */
    record Label(String call, Object task, int firstItem) {
        String describe(int tasks) {
            String what = call + "(" + TaskLabels.of(task) + ")";
            if (firstItem < 0) {
                return what;
            }
            return tasks == 1 ? what + " item " + firstItem : what + " items " + firstItem + "-" + (firstItem + tasks - 1);
        }
    }

    /** {@return what the chunk is, for messages} */
    String describe() {
        return label.describe(tasks);
    }
}
