package org.multiprocessing4j.internal.pool;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.CodecException;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.PoolFunction;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.ProcessTarget;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.spi.QueueBackend;
import org.multiprocessing4j.spi.SharedDataBackend;

/**
 * What a pool's worker process runs: the initializer once, then chunks from its own inbox, one
 * at a time and in order (a message may hold several: a batch), each answered on the pool's
 * result queue as soon as it ran, until told to stop. The answers are posted, not acknowledged:
 * the pool reads everything a worker sent before it judges the worker's death, so the first
 * chunk it took and did not answer is the one it died running, and the chunks after that one
 * never ran.
 *
 * <p>An {@link OutOfMemoryError} ends the worker: the JVM may be left in no state to go on. It
 * reports the error first (best effort: the memory the task held is free by then) and exits with
 * {@link #OUT_OF_MEMORY_EXIT}, as {@code -XX:+ExitOnOutOfMemoryError} would.
 */
public final class WorkerLoop {
    /** The exit code of a worker that ran out of memory. */
    public static final int OUT_OF_MEMORY_EXIT = 3;

    private final int worker;
    private final Answers results;
    private final Codec codec;
    /**
     * The functions and shared arguments this worker was sent, by their number in the pool
     * ({@link ChunkWire}): each comes once, and stays until the pool says to forget it. A
     * function is decoded on first use and kept so; one that cannot be decoded stays as bytes,
     * and every chunk that uses it fails the same way. A shared argument is decoded afresh for
     * each task.
     */
    private final Map<Long, Cached> cache = new HashMap<>();

    /**
     * System property of a worker JVM (set through its context's JVM options): after how many
     * milliseconds a chunk of a message of several makes the worker give back the chunks after
     * it ({@link PoolMessages.GaveBack}); 25 by default, several times what a batch of short
     * chunks is meant to take, so a message of short ones runs whole. Zero or less: never.
     */
    public static final String GIVE_BACK_PROPERTY = "multiprocessing4j.pool.giveBackMillis";
    static final long GIVE_BACK_NANOS = Long.getLong(GIVE_BACK_PROPERTY, 25) * 1_000_000L;
    /** Guards the message being run, for {@link #giveBackIfLong}. */
    private final Object progress = new Object();
    /** The parts of the message being run (guarded by {@link #progress}), or null. */
    private @Nullable List<ChunkWire.TaskParts> running;
    /** Which part runs, since when (nanoTime), and how many parts may run (guarded by {@link #progress}). */
    private int runningPart;
    private long runningSince;
    private int runLimit;
    private @Nullable Thread watchdog;

    private static final class Cached {
        final ByteBuffer bytes;
        @Nullable PoolFunction<Object, Object> function;
        /** Why a stored value could not be fetched; every task that uses it fails with it. */
        @Nullable RuntimeException unfetched;

        Cached(ByteBuffer bytes) {
            this.bytes = bytes;
        }
    }

    /** Where a worker's answers go: the pool's result queue. */
    @FunctionalInterface
    private interface Answers {
        void put(Object answer) throws InterruptedException;
    }

    private WorkerLoop(int worker, Answers results, Codec codec) {
        this.worker = worker;
        this.results = results;
        this.codec = codec;
    }

    /**
     * Runs in the worker process.
     *
     * @param worker      the worker's number in its pool
     * @param inbox       the pool's queue of chunks for this worker ({@link ChunkWire} messages)
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
        WorkerLoop loop = new WorkerLoop(worker, results::put, codec);
        try {
            while (true) {
                Object message;
                try {
                    message = inbox.get();
                } catch (OutOfMemoryError e) {
                    loop.outOfMemory();
                    return;
                }
                if (!loop.take(message)) {
                    return;
                }
            }
        } catch (ProcessGoneException poolGone) {
            // the pool's process is gone: nothing to report to
        }
    }

    /**
     * Runs the chunks of one message from the inbox, each answered as soon as it ran.
     *
     * @return false if the message says stop (or is not a tasks message), or the worker ran
     *         out of memory (it exits then)
     */
    private boolean take(@Nullable Object message) throws InterruptedException {
        ChunkWire.Tasks tasks;
        try {
            if (!(message instanceof byte[] task) || !ChunkWire.isTask(task)) {
                return false;
            }
            tasks = ChunkWire.parseTasks(task);
            learn(tasks);
        } catch (OutOfMemoryError e) {
            outOfMemory();
            return false;
        }
        List<ChunkWire.TaskParts> parts = tasks.parts();
        if (parts.size() == 1) {
            runTask(parts.get(0));
            return true;
        }
        startWatchdog();
        synchronized (progress) {
            running = parts;
            runLimit = parts.size();
        }
        try {
            for (int i = 0; i < parts.size(); i++) {
                synchronized (progress) {
                    if (i >= runLimit) {
                        break; // given back: other workers run them
                    }
                    runningPart = i;
                    runningSince = System.nanoTime();
                }
                runTask(parts.get(i));
            }
        } finally {
            synchronized (progress) {
                running = null;
            }
        }
        return true;
    }

    private void startWatchdog() {
        if (watchdog == null && GIVE_BACK_NANOS > 0) {
            watchdog = Thread.ofPlatform().daemon().name("multiprocessing4j-pool-giveback").start(() -> {
                try {
                    while (true) {
                        Thread.sleep(Math.max(1, GIVE_BACK_NANOS / 5_000_000));
                        giveBackIfLong();
                    }
                } catch (InterruptedException e) {
                    // the worker ends
                }
            });
        }
    }

    /**
     * Gives back the chunks after the one running, if it has run longer than {@link
     * #GIVE_BACK_NANOS} and none were given back yet: from then on this worker does not run
     * them, and the pool hands them to others.
     */
    private void giveBackIfLong() throws InterruptedException {
        long[] back;
        List<ChunkWire.TaskParts> parts;
        int limit;
        synchronized (progress) {
            parts = running;
            if (parts == null || runLimit != parts.size() || runningPart + 1 >= parts.size()
                    || System.nanoTime() - runningSince < GIVE_BACK_NANOS) {
                return;
            }
            limit = runningPart + 1;
            runLimit = limit; // claimed before it is said: the loop never starts them now
            back = new long[parts.size() - limit];
            for (int i = 0; i < back.length; i++) {
                back[i] = parts.get(limit + i).chunkId();
            }
        }
        try {
            results.put(new PoolMessages.GaveBack(worker, back));
        } catch (RuntimeException | OutOfMemoryError notSaid) {
            // The pool did not hear it (its queue refused: it is gone, most likely): run them
            // here after all, if the loop has not left the message yet.
            synchronized (progress) {
                if (running == parts && runLimit == limit) {
                    runLimit = parts.size();
                }
            }
        }
    }

    /**
     * For the AOT cache's training JVM only, never a real worker: runs tasks messages made here
     * through a worker's path (take the message apart, decode the arguments, run the function,
     * encode the results, post each answer to {@code results}), so that the cache holds that
     * path's profiles and a new worker's first tasks run compiled code sooner. A third of the
     * messages hold one task of one value, as {@code applyAsync}'s do; the rest eight tasks of
     * 64 values, as a {@code map}'s chunks; each message runs one of three functions in turn
     * (two on ints, one on strings), so the profile of the call of a task's function is not one
     * of them alone.
     *
     * @param messages how many tasks messages to run
     * @param codec    the codec
     * @param results  where the answers are posted (a queue of a parent that reads nothing)
     * @throws InterruptedException if interrupted
     */
    public static void train(int messages, Codec codec, QueueBackend results) throws InterruptedException {
        WorkerLoop loop = new WorkerLoop(1, answer -> results.put(codec.encode(answer), -1), codec);
        PoolFunction<?, ?>[] functions = {(PoolFunction<Integer, Integer>) x -> x * x,
            (PoolFunction<Integer, Long>) x -> (long) x + 1, (PoolFunction<String, Integer>) String::length};
        long[] refs = {1, 2, 3};
        ChunkWire.Learned[] learned = new ChunkWire.Learned[functions.length];
        for (int i = 0; i < functions.length; i++) {
            learned[i] = ChunkWire.Learned.inline(codec.encode(functions[i]));
        }
        long chunk = 0;
        for (int m = 0; m < messages; m++) {
            int f = m % functions.length;
            int tasks = m / functions.length % 3 == 0 ? 1 : 8;
            int values = tasks == 1 ? 1 : 64;
            long[] chunkIds = new long[tasks];
            long[] functionRefs = new long[tasks];
            byte[][] arguments = new byte[tasks][];
            for (int t = 0; t < tasks; t++) {
                chunkIds[t] = ++chunk;
                functionRefs[t] = refs[f];
                List<Object> args = new ArrayList<>(values);
                for (int v = 0; v < values; v++) {
                    args.add(f == 2 ? "item " + v : (Object) (m + v));
                }
                arguments[t] = ChunkWire.encodeValues(args, codec);
            }
            boolean first = m == 0;
            loop.take(ChunkWire.tasks(new long[0], first ? refs : new long[0],
                    first ? learned : new ChunkWire.Learned[0], chunkIds, functionRefs, arguments));
        }
    }

    /** Forgets what the pool dropped from its mirror of this cache, and keeps what comes new. */
    private void learn(ChunkWire.Tasks tasks) {
        for (long ref : tasks.forget()) {
            cache.remove(ref);
        }
        for (int i = 0; i < tasks.learnRefs().length; i++) {
            ByteBuffer view = tasks.learnBytes().get(i);
            byte[] own = new byte[view.remaining()];
            view.duplicate().get(own); // not a view: the message can go
            int stored = tasks.learnStored()[i];
            cache.put(tasks.learnRefs()[i], stored < 0 ? new Cached(ByteBuffer.wrap(own)) : fetch(own, stored));
        }
    }

    /**
     * {@return a value the pool stored in its transport, fetched from there} One that cannot be
     * fetched fails the tasks that use it, and only them; so does one that does not fit in this
     * worker's heap, whose bytes were one allocation that failed and left the rest as it was.
     */
    private Cached fetch(byte[] handle, int length) {
        try {
            if (!(codec.decode(handle) instanceof SharedDataBackend backend)) {
                throw new CodecException("a stored value's handle is not a SharedDataBackend");
            }
            return new Cached(ByteBuffer.wrap(backend.read(0, length)));
        } catch (RuntimeException e) {
            return unfetched(e);
        } catch (OutOfMemoryError e) {
            return unfetched(new IllegalStateException("it ran out of memory fetching its " + length
                    + " bytes (its heap's limit is " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB): " + e.getMessage(), e));
        }
    }

    private static Cached unfetched(RuntimeException why) {
        Cached failed = new Cached(ByteBuffer.allocate(0));
        failed.unfetched = why;
        return failed;
    }

    /** {@return what the pool sent as {@code ref}} */
    private Cached cached(long ref, String what) {
        Cached cached = cache.get(ref);
        if (cached == null) {
            throw new IllegalStateException("a chunk names " + what + " #" + ref
                    + ", which this worker was never sent (or was told to forget)");
        }
        RuntimeException unfetched = cached.unfetched;
        if (unfetched != null) {
            throw new IllegalStateException("the pool stored " + what + " #" + ref + " for its workers, and "
                    + "worker " + worker + " could not fetch it: " + unfetched.getMessage(), unfetched);
        }
        return cached;
    }

    private void runTask(ChunkWire.TaskParts task) throws InterruptedException {
        byte[] done;
        try {
            done = execute(task);
        } catch (OutOfMemoryError e) {
            outOfMemory();
            return;
        }
        try {
            results.put(done);
        } catch (OutOfMemoryError e) {
            outOfMemory();
        } catch (RuntimeException tooLargeOrUnsendable) {
            // The results cannot travel (larger than the frame limit, say): the chunk fails,
            // the worker lives on.
            results.put(failed(task.chunkId(), 0, tooLargeOrUnsendable));
        }
    }

    /** Says so to the pool (best effort: the pool then reports the exit code alone) and ends the worker. */
    private void outOfMemory() {
        try {
            results.put(new PoolMessages.OutOfMemory(worker));
        } catch (Throwable ignored) {
            // the exit code says it
        }
        System.exit(OUT_OF_MEMORY_EXIT);
    }

    private byte[] execute(ChunkWire.TaskParts task) {
        long start = System.nanoTime();
        try {
            PoolFunction<Object, Object> function = function(task.functionRef());
            List<@Nullable Object> arguments = ChunkWire.decodeValues(task.arguments(), codec,
                    ref -> cached(ref, "shared argument").bytes);
            List<@Nullable Object> values = new ArrayList<>(arguments.size());
            for (Object argument : arguments) {
                values.add(function.apply(argument));
            }
            return ChunkWire.done(worker, task.chunkId(), System.nanoTime() - start, true,
                    ChunkWire.encodeValues(values, codec));
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable t) {
            return failed(task.chunkId(), System.nanoTime() - start, t);
        }
    }

    private byte[] failed(long chunkId, long runNanos, Throwable t) {
        return ChunkWire.done(worker, chunkId, runNanos, false, codec.encode(FailureReport.of(t, codec)));
    }

    @SuppressWarnings("unchecked")
    private PoolFunction<Object, Object> function(long ref) {
        Cached cached = cached(ref, "function");
        PoolFunction<Object, Object> f = cached.function;
        if (f != null) {
            return f;
        }
        ByteBuffer b = cached.bytes;
        Object decoded = codec.decode(b.array(), b.arrayOffset() + b.position(), b.remaining());
        if (!(decoded instanceof PoolFunction<?, ?> function)) {
            throw new IllegalStateException("a chunk's function decoded to "
                    + (decoded == null ? "null" : decoded.getClass().getName()));
        }
        cached.function = (PoolFunction<Object, Object>) function;
        return cached.function;
    }
}
