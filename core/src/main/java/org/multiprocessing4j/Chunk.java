package org.multiprocessing4j;

/**
 * A chunk of a pool: its work, encoded once, where its outcome goes, and what it is, for
 * messages.
 *
 * @param id        its number in the pool
 * @param function    its function, encoded (the same array for every chunk of one function
 *                    instance submitted in a row)
 * @param functionRef the function's number in the pool: equal encodings share one, and a
 *                    worker is sent the bytes only once ({@link KnownFunctions})
 * @param arguments its arguments, encoded ({@link org.multiprocessing4j.internal.pool.ChunkWire#encodeValues})
 * @param sink      where its outcome goes
 * @param label     what the chunk is, told as {@code "map(Squares::square) items 40-49"}
 * @param tasks     how many tasks (arguments) it holds
 */
record Chunk(long id, byte[] function, long functionRef, byte[] arguments, ChunkSink sink, Label label, int tasks) {

    /** {@return how many bytes its function and arguments take (at most: the function may not travel)} */
    int size() {
        return function.length + arguments.length;
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
