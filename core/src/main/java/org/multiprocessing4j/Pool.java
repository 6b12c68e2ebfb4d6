package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A pool of worker processes: Python's {@code multiprocessing.Pool}, which never hangs on a dead
 * worker.
 *
 * <pre>{@code
 * try (Pool pool = new Pool()) {
 *     System.out.println(pool.map(Squares::square, List.of(1, 2, 3)));   // [1, 4, 9]
 * }
 * }</pre>
 *
 * <p><b>Tasks</b> are {@link PoolFunction}s, {@link PoolBiFunction}s, {@link PoolCallable}s and
 * (returning nothing) {@link PoolRunnable}s: serializable, so lambdas and method references work; what they capture, their arguments and
 * their results travel encoded by the context's {@link Codec}. Inputs are cut into chunks (as in
 * Python); a worker runs one chunk at a time. A task's exception fails its chunk: the caller gets
 * a {@link PoolTaskException} whose cause is that exception, decoded with the worker's stack
 * trace, or a {@link RemoteException} standing in for it when it cannot be carried.
 *
 * <p><b>Dead workers.</b> The pool knows at every moment which chunk each worker holds. When a
 * worker dies ({@code System.exit}, a signal, an {@link OutOfMemoryError}, a crash), exactly the
 * chunk it held fails, with a {@link WorkerDiedException} naming the worker and the cause
 * ("died with signal 9 (SIGKILL)", "ran out of memory"), and a new worker takes its place; other
 * tasks complete. After {@link Builder#maxWorkerDeaths(int) maxWorkerDeaths} deaths in a row
 * with no chunk completed in between, the pool is broken: tasks not yet handed out, and every
 * later one, fail with a {@link BrokenPoolException}. No {@code get()} waits for a dead worker.
 * A worker that does not report that it runs within {@link Builder#startTimeout(Duration)
 * startTimeout} is killed and counts as a death.
 *
 * <p><b>Timeouts.</b> {@link AsyncResult#get(Duration)} stops waiting; the task goes on. A pool
 * built with {@link Builder#taskTimeout(Duration) taskTimeout} also stops the task: one that
 * overruns fails with a {@link TaskTimeoutException} naming it, and its worker is killed and
 * replaced.
 *
 * <p><b>Ending.</b> {@link #close()} is Java's, not Python's: it stops taking tasks, lets every
 * task already submitted complete, then stops
 * the workers and waits for them and for the callbacks, as {@code ExecutorService.close()} does.
 * Python's {@code with Pool()} terminates instead, dropping work the program asked for; a Java
 * try-with-resources block releases resources without losing results already requested. An
 * open {@code imap} is cut there: the chunks it had pulled ahead (at most {@link #imapLookahead})
 * still run and can still be taken, the rest of its source is never pulled, and asking beyond
 * them throws an {@link IllegalStateException}; so closing a pool with an abandoned, even
 * endless, imap ends promptly.
 * {@link #terminate()} is Python's: it kills the workers at once, and every unfinished task fails
 * with a {@link java.util.concurrent.CancellationException} as its cause. Python's
 * {@code close(); join()} works unchanged. If interrupted while waiting, {@code close()}
 * terminates the pool, waits for the workers to end, and returns with the interrupt flag set.
 *
 * <p>Workers are daemon processes named {@code PoolWorker-N}. Methods may be called from any
 * thread. Callbacks run on one callback thread of the pool, in completion order; they should
 * be short, and must not close the pool they belong to.
 *
 * @since 0.1
 */
public final class Pool implements AutoCloseable {
    /** How long a worker may take to start unless {@link Builder#startTimeout(Duration)} says otherwise. */
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    private final PoolEngine engine;
    private final ProcessExecutorService executor;

    /** A pool of {@link Multiprocessing#cpuCount()} workers of the default context. */
    public Pool() {
        this(builder());
    }

    /**
     * A pool of {@code processes} workers of the default context.
     *
     * @param processes how many workers; at least 1
     */
    public Pool(int processes) {
        this(builder().processes(processes));
    }

    private Pool(Builder b) {
        int deaths = b.maxWorkerDeaths > 0 ? b.maxWorkerDeaths : Math.max(4, 2 * b.processes);
        Context context = b.context != null ? b.context : Multiprocessing.getContext();
        this.engine = new PoolEngine(new PoolEngine.Settings(context, b.processes, b.initializer, b.maxTasksPerChild,
                deaths, b.taskTimeout, b.startTimeout, b.retries));
        this.executor = new ProcessExecutorService(engine);
    }

    /** {@return a builder for a pool with every setting} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the number of worker processes} */
    public int processes() {
        return engine.processes();
    }

    // ---- apply -----------------------------------------------------------------------------

    /**
     * Runs {@code task} in a worker and waits for its result: Python's {@code apply}.
     *
     * @param task the task
     * @param <R>  the result type
     * @return its result
     * @throws PoolTaskException     if it failed; the cause says why
     * @throws IllegalStateException if the pool is closed or terminated
     * @throws InterruptedException  if interrupted while waiting (the task goes on)
     */
    public <R> @Nullable R apply(PoolCallable<? extends R> task) throws InterruptedException {
        return applyAsync(task).get();
    }

    /**
     * Runs {@code task}, which returns nothing, in a worker and waits until it ran: Python's
     * {@code apply} of a function that returns {@code None}.
     *
     * @param task the task
     * @throws PoolTaskException     if it failed; the cause says why
     * @throws IllegalStateException if the pool is closed or terminated
     * @throws InterruptedException  if interrupted while waiting (the task goes on)
     */
    public void apply(PoolRunnable task) throws InterruptedException {
        applyAsync(task).get();
    }

    /**
     * Runs {@code function(argument)} in a worker and waits for its result.
     *
     * @param function the function
     * @param argument its argument
     * @param <T>      the argument type
     * @param <R>      the result type
     * @return its result
     * @throws PoolTaskException     if it failed; the cause says why
     * @throws IllegalStateException if the pool is closed or terminated
     * @throws InterruptedException  if interrupted while waiting (the task goes on)
     */
    public <T, R> @Nullable R apply(PoolFunction<? super T, ? extends R> function, @Nullable T argument)
            throws InterruptedException {
        return applyAsync(function, argument).get();
    }

    /**
     * Runs {@code task} in a worker: Python's {@code apply_async}.
     *
     * @param task the task
     * @param <R>  the result type
     * @return its result, to come
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <R> AsyncResult<R> applyAsync(PoolCallable<? extends R> task) {
        return applyAsync(task, null, null);
    }

    /**
     * Runs {@code task} in a worker, then one of the callbacks on the pool's callback thread.
     *
     * @param task          the task
     * @param callback      gets the result, or null
     * @param errorCallback gets the {@link PoolTaskException} that {@code get()} throws, or null
     * @param <R>           the result type
     * @return its result, to come
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <R> AsyncResult<R> applyAsync(PoolCallable<? extends R> task, @Nullable Consumer<? super R> callback,
                                         @Nullable Consumer<? super PoolTaskException> errorCallback) {
        Objects.requireNonNull(task, "task");
        return submitOne(callTask(task), null, task, callback, errorCallback);
    }

    /**
     * Runs {@code task}, which returns nothing, in a worker: Python's {@code apply_async} of a
     * function that returns {@code None}. A lambda that returns a value goes to
     * {@link #applyAsync(PoolCallable)} instead.
     *
     * @param task the task
     * @return its completion, to come; its value is null
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public AsyncResult<Void> applyAsync(PoolRunnable task) {
        Objects.requireNonNull(task, "task");
        return submitOne(runTask(task), null, task, null, null);
    }

    private static <R> PoolFunction<@Nullable Object, R> callTask(PoolCallable<? extends R> task) {
        return ignored -> task.call();
    }

    private static PoolFunction<@Nullable Object, @Nullable Void> runTask(PoolRunnable task) {
        return ignored -> {
            task.runTask();
            return null;
        };
    }

    /**
     * Runs {@code function(argument)} in a worker.
     *
     * @param function the function
     * @param argument its argument
     * @param <T>      the argument type
     * @param <R>      the result type
     * @return its result, to come
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> AsyncResult<R> applyAsync(PoolFunction<? super T, ? extends R> function, @Nullable T argument) {
        return applyAsync(function, argument, null, null);
    }

    /**
     * Runs {@code function(argument)} in a worker, then one of the callbacks on the pool's
     * callback thread.
     *
     * @param function      the function
     * @param argument      its argument
     * @param callback      gets the result, or null
     * @param errorCallback gets the {@link PoolTaskException} that {@code get()} throws, or null
     * @param <T>           the argument type
     * @param <R>           the result type
     * @return its result, to come
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> AsyncResult<R> applyAsync(PoolFunction<? super T, ? extends R> function, @Nullable T argument,
                                            @Nullable Consumer<? super R> callback,
                                            @Nullable Consumer<? super PoolTaskException> errorCallback) {
        Objects.requireNonNull(function, "function");
        return submitOne(function, argument, function, callback, errorCallback);
    }

    private <T, R> AsyncResult<R> submitOne(PoolFunction<? super T, ? extends R> function, @Nullable T argument,
                                            Object task, @Nullable Consumer<? super R> callback,
                                            @Nullable Consumer<? super PoolTaskException> errorCallback) {
        engine.checkOpen();
        AsyncResult<R> result = new AsyncResult<>(engine.callbacks());
        result.onCompletion(callback, errorCallback);
        List<@Nullable Object> arguments = new ArrayList<>(1);
        arguments.add(argument);
        engine.submit(function, arguments, new Chunk.Label("apply", task, -1), new ChunkSink() {
            @Override
            @SuppressWarnings("unchecked")
            public void succeeded(List<@Nullable Object> values) {
                result.complete((R) values.getFirst());
            }

            @Override
            public void failed(String message, Throwable cause) {
                result.fail(message, cause);
            }
        }, false);
        return result;
    }

    // ---- map -------------------------------------------------------------------------------

    /**
     * Applies {@code function} to every item, in chunks of Python's automatic size
     * ({@code ceil(items / (4 * processes))}), and waits: Python's {@code map}.
     *
     * @param function the function
     * @param items    its arguments
     * @param <T>      the argument type
     * @param <R>      the result type
     * @return the results in the order of the items
     * @throws PoolTaskException     if a chunk failed (the first to fail); the cause says why
     * @throws IllegalStateException if the pool is closed or terminated
     * @throws InterruptedException  if interrupted while waiting (the tasks go on)
     */
    public <T, R> List<@Nullable R> map(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items)
            throws InterruptedException {
        return this.<T, R>mapAsync(function, items).get();
    }

    /**
     * {@link #map(PoolFunction, Iterable)} with a given chunk size.
     *
     * @param function  the function
     * @param items     its arguments
     * @param chunksize how many items a worker takes at a time; at least 1
     * @param <T>       the argument type
     * @param <R>       the result type
     * @return the results in the order of the items
     * @throws PoolTaskException     if a chunk failed (the first to fail); the cause says why
     * @throws IllegalStateException if the pool is closed or terminated
     * @throws InterruptedException  if interrupted while waiting (the tasks go on)
     */
    public <T, R> List<@Nullable R> map(PoolFunction<? super T, ? extends R> function, Iterable<? extends T> items,
                                        int chunksize) throws InterruptedException {
        return this.<T, R>mapAsync(function, items, chunksize).get();
    }

    /**
     * Python's {@code map_async} with the automatic chunk size.
     *
     * @param function the function
     * @param items    its arguments
     * @param <T>      the argument type
     * @param <R>      the result type
     * @return the results in the order of the items, to come; failed as soon as a chunk fails
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> AsyncResult<List<@Nullable R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                                          Iterable<? extends T> items) {
        return mapAsync(function, items, 0, null, null);
    }

    /**
     * Python's {@code map_async}.
     *
     * @param function  the function
     * @param items     its arguments
     * @param chunksize how many items a worker takes at a time; at least 1
     * @param <T>       the argument type
     * @param <R>       the result type
     * @return the results in the order of the items, to come; failed as soon as a chunk fails
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> AsyncResult<List<@Nullable R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                                          Iterable<? extends T> items, int chunksize) {
        checkChunksize(chunksize);
        return mapAsync(function, items, chunksize, null, null);
    }

    /**
     * Python's {@code map_async} with callbacks, run on the pool's callback thread.
     *
     * @param function      the function
     * @param items         its arguments
     * @param chunksize     how many items a worker takes at a time; 0 for the automatic size
     * @param callback      gets the list of results, or null
     * @param errorCallback gets the {@link PoolTaskException} that {@code get()} throws, or null
     * @param <T>           the argument type
     * @param <R>           the result type
     * @return the results in the order of the items, to come; failed as soon as a chunk fails
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> AsyncResult<List<@Nullable R>> mapAsync(PoolFunction<? super T, ? extends R> function,
                                                          Iterable<? extends T> items, int chunksize,
                                                          @Nullable Consumer<? super List<@Nullable R>> callback,
                                                          @Nullable Consumer<? super PoolTaskException> errorCallback) {
        Objects.requireNonNull(function, "function");
        return mapChunks(function, items, chunksize, callback, errorCallback, "map", function);
    }

    private <T, R> AsyncResult<List<@Nullable R>> mapChunks(PoolFunction<? super T, ? extends R> function,
                                                            Iterable<? extends T> items, int chunksize,
                                                            @Nullable Consumer<? super List<@Nullable R>> callback,
                                                            @Nullable Consumer<? super PoolTaskException> errorCallback,
                                                            String call, Object labelTask) {
        if (chunksize < 0) {
            throw new IllegalArgumentException("chunksize must be at least 1 (or 0 for automatic), was " + chunksize);
        }
        engine.checkOpen();
        // Each chunk is encoded as it is submitted, below: a list the caller gave is read in
        // place, with no copy of its own.
        List<?> all = items instanceof List<?> list && items instanceof RandomAccess ? list : toList(items);
        int size = chunksize > 0 ? chunksize : autoChunksize(all.size(), processes());
        AsyncResult<List<@Nullable R>> result = new AsyncResult<>(engine.callbacks());
        result.onCompletion(callback, errorCallback);
        if (all.isEmpty()) {
            result.complete(List.of());
            return result;
        }
        MapCollector<R> collector = new MapCollector<>(all.size(), size, result);
        for (int from = 0; from < all.size(); from += size) {
            List<?> chunk = all.subList(from, Math.min(all.size(), from + size));
            engine.submit(function, chunk, new Chunk.Label(call, labelTask, from), collector.sink(from / size), false);
        }
        return result;
    }

    /**
     * Python's automatic chunk size for {@code map}: {@code ceil(items / (4 * processes))}, at
     * least 1.
     *
     * @param items     how many items
     * @param processes how many workers
     * @return the chunk size
     */
    static int autoChunksize(int items, int processes) {
        int per = 4 * processes;
        return Math.max(1, (items + per - 1) / per);
    }

    private static List<@Nullable Object> toList(Iterable<?> items) {
        Objects.requireNonNull(items, "items");
        if (items instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        List<@Nullable Object> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }

    private static void checkChunksize(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1, was " + chunksize);
        }
    }

    /**
     * Collects a map's chunks into one list; the first failure fails the whole. The chunks'
     * lists are kept as they came (a chunk of ints stays unboxed, see {@code ChunkWire}), and
     * the map's list reads through them.
     */
    private static final class MapCollector<R> {
        private final int size;
        private final int chunksize;
        private final List<?>[] chunks;
        private final AsyncResult<List<@Nullable R>> result;
        private int chunksLeft;

        MapCollector(int size, int chunksize, AsyncResult<List<@Nullable R>> result) {
            this.size = size;
            this.chunksize = chunksize;
            this.chunks = new List<?>[(size + chunksize - 1) / chunksize];
            this.chunksLeft = chunks.length;
            this.result = result;
        }

        ChunkSink sink(int index) {
            int expected = Math.min(chunksize, size - index * chunksize);
            return new ChunkSink() {
                @Override
                public void succeeded(List<@Nullable Object> chunk) {
                    if (chunk.size() != expected) {
                        failed("chunk " + index + " of the map came back with " + chunk.size() + " results for "
                                + expected + " items", new IllegalStateException("wrong number of results"));
                        return;
                    }
                    List<@Nullable R> done = null;
                    synchronized (MapCollector.this) {
                        chunks[index] = chunk;
                        if (--chunksLeft == 0) {
                            done = new MapResults<>(chunks.clone(), chunksize, size);
                        }
                    }
                    if (done != null) {
                        result.complete(done);
                    }
                }

                @Override
                public void failed(String message, Throwable cause) {
                    result.fail(message, cause);
                }
            };
        }
    }

    /**
     * A map's results: unmodifiable, read through its chunks' lists (all of one size but the
     * last). Serialized as a plain unmodifiable list, so a receiver needs no class of ours.
     */
    private static final class MapResults<R> extends AbstractList<@Nullable R> implements RandomAccess, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient List<?>[] chunks;
        private final int chunksize;
        private final int size;

        MapResults(List<?>[] chunks, int chunksize, int size) {
            this.chunks = chunks;
            this.chunksize = chunksize;
            this.size = size;
        }

        @Override
        @SuppressWarnings("unchecked")
        public @Nullable R get(int index) {
            Objects.checkIndex(index, size);
            return (R) chunks[index / chunksize].get(index % chunksize);
        }

        @Override
        public int size() {
            return size;
        }

        @Serial
        private Object writeReplace() {
            return Collections.unmodifiableList(new ArrayList<>(this));
        }
    }

    // ---- imap ------------------------------------------------------------------------------

    /**
     * Applies {@code function} to the items lazily, one item per chunk, yielding results in the
     * items' order: Python's {@code imap}. The source is pulled in the consumer's thread, at most
     * {@link #imapLookahead} chunks ahead of what the consumer has taken (the first ones as soon
     * as it is called), so an endless source works; {@link #close()} cuts it at that lookahead.
     * {@link ImapIterator#next(Duration)} waits at most a given time, as Python's
     * {@code next(timeout)}.
     *
     * @param function the function
     * @param items    its arguments, pulled as results are consumed
     * @param <T>      the argument type
     * @param <R>      the result type
     * @return the results; {@code next()} throws {@link PoolTaskException} for a failed chunk
     * and the iteration may go on after it
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> ImapIterator<@Nullable R> imap(PoolFunction<? super T, ? extends R> function,
                                             Iterator<? extends T> items) {
        return imap(function, items, 1);
    }

    /**
     * {@link #imap(PoolFunction, Iterator)} with a given chunk size.
     *
     * @param function  the function
     * @param items     its arguments, pulled as results are consumed
     * @param chunksize how many items a worker takes at a time; at least 1
     * @param <T>       the argument type
     * @param <R>       the result type
     * @return the results in the items' order
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> ImapIterator<@Nullable R> imap(PoolFunction<? super T, ? extends R> function,
                                             Iterator<? extends T> items, int chunksize) {
        return newImap(function, items, chunksize, true);
    }

    /**
     * {@link #imap(PoolFunction, Iterator)} over an {@link Iterable}.
     *
     * @param function the function
     * @param items    its arguments
     * @param <T>      the argument type
     * @param <R>      the result type
     * @return the results in the items' order
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> ImapIterator<@Nullable R> imap(PoolFunction<? super T, ? extends R> function,
                                             Iterable<? extends T> items) {
        return imap(function, items.iterator(), 1);
    }

    /**
     * {@link #imap(PoolFunction, Iterator, int)} over an {@link Iterable}.
     *
     * @param function  the function
     * @param items     its arguments
     * @param chunksize how many items a worker takes at a time; at least 1
     * @param <T>       the argument type
     * @param <R>       the result type
     * @return the results in the items' order
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> ImapIterator<@Nullable R> imap(PoolFunction<? super T, ? extends R> function,
                                             Iterable<? extends T> items, int chunksize) {
        return imap(function, items.iterator(), chunksize);
    }

    /**
     * Like {@link #imap(PoolFunction, Iterator)}, but yields results as they complete: Python's
     * {@code imap_unordered}.
     *
     * @param function the function
     * @param items    its arguments, pulled as results are consumed
     * @param <T>      the argument type
     * @param <R>      the result type
     * @return the results in completion order
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> ImapIterator<@Nullable R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                                      Iterator<? extends T> items) {
        return imapUnordered(function, items, 1);
    }

    /**
     * {@link #imapUnordered(PoolFunction, Iterator)} with a given chunk size.
     *
     * @param function  the function
     * @param items     its arguments, pulled as results are consumed
     * @param chunksize how many items a worker takes at a time; at least 1
     * @param <T>       the argument type
     * @param <R>       the result type
     * @return the results in completion order (of chunks)
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> ImapIterator<@Nullable R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                                      Iterator<? extends T> items, int chunksize) {
        return newImap(function, items, chunksize, false);
    }

    /**
     * {@link #imapUnordered(PoolFunction, Iterator)} over an {@link Iterable}.
     *
     * @param function the function
     * @param items    its arguments
     * @param <T>      the argument type
     * @param <R>      the result type
     * @return the results in completion order
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> ImapIterator<@Nullable R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                                      Iterable<? extends T> items) {
        return imapUnordered(function, items.iterator(), 1);
    }

    /**
     * {@link #imapUnordered(PoolFunction, Iterator, int)} over an {@link Iterable}.
     *
     * @param function  the function
     * @param items     its arguments
     * @param chunksize how many items a worker takes at a time; at least 1
     * @param <T>       the argument type
     * @param <R>       the result type
     * @return the results in completion order (of chunks)
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <T, R> ImapIterator<@Nullable R> imapUnordered(PoolFunction<? super T, ? extends R> function,
                                                      Iterable<? extends T> items, int chunksize) {
        return imapUnordered(function, items.iterator(), chunksize);
    }

    private <R> ImapIterator<@Nullable R> newImap(PoolFunction<?, ? extends R> function, Iterator<?> items,
                                              int chunksize, boolean ordered) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(items, "items");
        checkChunksize(chunksize);
        return new LazyImap<>(engine, function, items, chunksize, imapLookahead(processes(), chunksize), ordered);
    }

    /**
     * {@return how many chunks an imap pulls ahead of its consumer at most}: twice the workers,
     * or for small chunks as many as hold 64 items per worker, so that a worker always has a
     * message waiting and small chunks go in batches (with chunksize 1, two chunks per worker
     * left each worker a round trip per item: 7–14 k items/s on 2 workers against CPython's
     * 40 k)
     *
     * @param processes the pool's workers
     * @param chunksize its chunk size
     */
    public static int imapLookahead(int processes, int chunksize) {
        return processes * Math.max(2, IMAP_ITEMS_AHEAD / chunksize);
    }

    /** How many items per worker an imap of small chunks pulls ahead at most. */
    private static final int IMAP_ITEMS_AHEAD = 64;

    // ---- starmap ---------------------------------------------------------------------------

    /**
     * Applies {@code function} to each pair, and waits: Python's {@code starmap} for two
     * arguments. (For more, map a record.)
     *
     * @param function the function
     * @param pairs    its arguments, such as {@code Map.entry(2, 3)}
     * @param <A>      the first argument's type
     * @param <B>      the second argument's type
     * @param <R>      the result type
     * @return the results in the order of the pairs
     * @throws PoolTaskException     if a chunk failed; the cause says why
     * @throws IllegalStateException if the pool is closed or terminated
     * @throws InterruptedException  if interrupted while waiting (the tasks go on)
     */
    public <A, B, R> List<@Nullable R> starmap(PoolBiFunction<? super A, ? super B, ? extends R> function,
                                               Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs)
            throws InterruptedException {
        return this.<A, B, R>starmapAsync(function, pairs).get();
    }

    /**
     * Python's {@code starmap_async} for two arguments, with the automatic chunk size.
     *
     * @param function the function
     * @param pairs    its arguments
     * @param <A>      the first argument's type
     * @param <B>      the second argument's type
     * @param <R>      the result type
     * @return the results in the order of the pairs, to come
     * @throws IllegalStateException if the pool is closed or terminated
     */
    public <A, B, R> AsyncResult<List<@Nullable R>> starmapAsync(
            PoolBiFunction<? super A, ? super B, ? extends R> function,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        Objects.requireNonNull(function, "function");
        List<List<@Nullable Object>> packed = new ArrayList<>();
        for (Map.Entry<? extends A, ? extends B> pair : pairs) {
            List<@Nullable Object> two = new ArrayList<>(2);
            two.add(pair.getKey());
            two.add(pair.getValue());
            packed.add(two);
        }
        return mapChunks(spread(function), packed, 0, null, null, "starmap", function);
    }

    @SuppressWarnings("unchecked")
    private static <A, B, R> PoolFunction<List<@Nullable Object>, R> spread(
            PoolBiFunction<? super A, ? super B, ? extends R> function) {
        return pair -> function.apply((A) pair.get(0), (B) pair.get(1));
    }

    // ---- ending ----------------------------------------------------------------------------

    /**
     * Stops taking tasks, lets every task already submitted complete (of an open imap, the
     * chunks it had pulled ahead; the rest of its source is never pulled), stops the workers and
     * waits for them and the callbacks, then frees the pool's queues. Idempotent.
     * If interrupted meanwhile, terminates the pool instead and returns with the interrupt
     * flag set. After it, {@link #join()} returns at once.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Kills the workers now: Python's {@code terminate}. Every task not completed fails, its
     * cause a {@link java.util.concurrent.CancellationException}. Does not wait; {@link #join()}
     * does.
     */
    public void terminate() {
        engine.terminate();
    }

    /**
     * Waits for the workers to end, after {@link #close()} or {@link #terminate()}.
     *
     * @throws IllegalStateException if the pool was neither closed nor terminated
     * @throws InterruptedException  if interrupted while waiting
     */
    public void join() throws InterruptedException {
        engine.join();
    }

    /**
     * {@return this pool as an {@link java.util.concurrent.ExecutorService}, sharing its workers;
     * shutting it down closes the pool}
     */
    public ProcessExecutorService asExecutorService() {
        return executor;
    }

    /** {@return true once workers died {@link Builder#maxWorkerDeaths(int) too often in a row}} */
    public boolean isBroken() {
        return engine.isBroken();
    }

    /** {@return the pids of the workers alive now, for monitoring} */
    public List<Long> workerPids() {
        return engine.workerPids();
    }

    /** {@return the most chunks one message to a worker has held so far; for tests} */
    int largestMessage() {
        return engine.largestMessage();
    }

    /** {@return how many functions and shared arguments the workers keep, summed, for tests} */
    int cachedInWorkers() {
        return engine.cachedInWorkers();
    }

    /** {@return how many large values the pool stored in its transport for its workers, for tests} */
    int storedValues() {
        return engine.storedValues();
    }

    /** {@return how many bytes of tasks went to workers so far, for tests} */
    long bytesSent() {
        return engine.bytesSent();
    }

    @Override
    public String toString() {
        return engine.toString();
    }

    /**
     * Builds a {@link Pool}: Python's keyword arguments. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private int processes = Multiprocessing.cpuCount();
        private @Nullable ProcessTarget initializer;
        private int maxTasksPerChild;
        private int maxWorkerDeaths;
        private @Nullable Context context;
        private @Nullable Duration taskTimeout;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private int retries;

        private Builder() {
        }

        /**
         * Runs a chunk of tasks again, on another worker, when the worker running it died
         * (exited, was killed, ran out of memory, or its host or agent was lost), up to {@code
         * times} times before it fails with the {@link WorkerDiedException}. Off (0) by default:
         * a task may have had effects before its worker died, so only the caller can say that
         * running it twice is safe. A task that overran {@link #taskTimeout(Duration)} is not run
         * again. Each death still counts towards {@link #maxWorkerDeaths(int)}.
         *
         * @param times how many times a chunk may run again, 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder retries(int times) {
            if (times < 0) {
                throw new IllegalArgumentException("retries must be 0 or more, was " + times);
            }
            this.retries = times;
            return this;
        }

        /**
         * Limits how long a task may run: a task that overruns fails with a
         * {@link TaskTimeoutException} naming it (the cause of its {@link PoolTaskException}, or
         * of its {@code Future}'s {@code ExecutionException}), and the worker running it is
         * killed and replaced; the pool goes on, and the kill counts as no death. Tasks travel in
         * chunks, so the limit applies to a chunk as a whole: a chunk of n tasks may run n times
         * the limit. It is counted from when the chunk is handed to the worker and checked about
         * every 50 ms. By default tasks have no limit. ({@link AsyncResult#get(Duration)} is
         * another thing: it stops waiting, and the task goes on.)
         *
         * @param limit how long one task may run, positive; null for no limit
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder taskTimeout(@Nullable Duration limit) {
            if (limit != null && (limit.isZero() || limit.isNegative())) {
                throw new IllegalArgumentException("taskTimeout must be positive, was " + limit);
            }
            this.taskTimeout = limit;
            return this;
        }

        /**
         * How long a new worker may take to start: to launch its JVM, decode its target and
         * report that it runs. A worker that has not reported by then (stuck in a class
         * initializer, say) is killed; it counts as a worker death, and is replaced like any
         * other (so a pool whose workers can never start breaks after
         * {@link #maxWorkerDeaths(int) maxWorkerDeaths}). The first workers, started by
         * {@link #build()}, make it throw instead. 60 seconds by default: far more than a JVM
         * needs even on a busy machine.
         *
         * @param limit how long a start may take, positive
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder startTimeout(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.isZero() || limit.isNegative()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + limit);
            }
            this.startTimeout = limit;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param processes how many workers; by default {@link Multiprocessing#cpuCount()}
         * @throws IllegalArgumentException if less than 1
         */
        public Builder processes(int processes) {
            if (processes < 1) {
                throw new IllegalArgumentException("processes must be at least 1, was " + processes);
            }
            this.processes = processes;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param initializer run once in each worker before its first task, or null; if it
         *                    throws, the worker ends, and counts as a death
         */
        public Builder initializer(@Nullable ProcessTarget initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param tasks how many chunks a worker runs before it is replaced by a fresh one; 0 (the
         *              default) for no limit
         * @throws IllegalArgumentException if negative
         */
        public Builder maxTasksPerChild(int tasks) {
            if (tasks < 0) {
                throw new IllegalArgumentException("maxTasksPerChild must be 0 (no limit) or more, was " + tasks);
            }
            this.maxTasksPerChild = tasks;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param deaths after how many worker deaths in a row (no chunk completed in between) the
         *               pool is broken; by default twice the number of processes, at least 4
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxWorkerDeaths(int deaths) {
            if (deaths < 1) {
                throw new IllegalArgumentException("maxWorkerDeaths must be at least 1, was " + deaths);
            }
            this.maxWorkerDeaths = deaths;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param context how workers are started (JVM options such as {@code -Xmx}, transport,
         *                codec); by default {@link Multiprocessing#getContext()}. A codec of
         *                its own works only in a process started with that codec: the root
         *                runs with the default one, and its tasks would not decode in the
         *                workers (troubleshooting.md, "A custom codec")
         */
        public Builder context(Context context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Starts the workers and returns once they run.
         *
         * @return the pool
         * @throws ProcessStartException if a worker cannot start, or does not start within
         *                               {@link #startTimeout(Duration)}; none is left running
         * @throws CodecException        if the initializer cannot be encoded
         */
        public Pool build() {
            return new Pool(this);
        }
    }
}
