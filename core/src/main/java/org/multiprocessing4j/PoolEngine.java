package org.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.internal.pool.ChunkWire;

/**
 * The machinery behind a {@link Pool}: what the pool knows (which worker holds which chunk, the
 * line of chunks not handed out yet, whether it is closing), submission, hand-out and ending.
 * Its collaborators share that state under {@link #lock}: {@link WorkerLauncher} starts worker
 * processes, {@link PoolHandler} (one thread) receives results and watches the workers,
 * {@link WorkerDeaths} counts deaths, {@link ChunkResults} decodes outcomes.
 *
 * <p>Every worker holds at most {@link WorkerSlot#PREFETCH} messages of chunks, put in its own
 * inbox by this process, so at every moment the pool knows what each worker holds. Under a
 * backlog of small chunks (many {@code applyAsync} calls, say), one message carries several:
 * see {@link #dispatchLocked()}.
 *
 * <p>Lock order: {@link #lock} is never held while user code, a sink or a callback runs; they
 * are queued in {@link #outbox} and run by whichever thread leaves the lock.
 */
final class PoolEngine {
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** Guards the mutable state here, in the slots and in {@link #deaths}. */
    final Object lock = new Object();
    final String name = "Pool-" + POOLS.incrementAndGet();
    final Codec codec;
    final int maxTasksPerChild;
    /** Each task's limit, or null for none; a chunk of n tasks may run n times as long. */
    final @Nullable Duration taskTimeout;
    /** How many times a chunk whose worker died running it runs again ({@code Pool.Builder.retries}). */
    final int retries;
    /** The chunks run again after their worker died, and how often: only those, so it stays small. */
    final java.util.Map<Long, Integer> reruns = new java.util.HashMap<>();
    /**
     * Posted puts: a worker sends each answer and goes on. Before the handler judges a worker's
     * death it waits until the worker's link delivered its last frame, so what the worker sent
     * is here by then.
     */
    final Queue<Object> results;
    final WorkerSlot[] slots;
    final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    final Outbox outbox = new Outbox();
    final WorkerDeaths deaths;
    final WorkerLauncher launcher;
    final Set<LazyImap<?>> openImaps = Collections.newSetFromMap(new IdentityHashMap<>());
    final CountDownLatch ended = new CountDownLatch(1);
    /** Checks that the hosts its workers may run on have a task's classes; null where all run here. */
    private final @Nullable PoolClassCheck classCheck;
    /** Large functions and arguments kept once for every worker, where the transport can. */
    final PoolStore store;
    private final ThreadPoolExecutor callbacks;
    private volatile @Nullable Thread callbackThread;
    private long nextChunkId;
    /** The largest message of chunks put in an inbox; a single larger chunk goes alone. */
    private final int batchBytes;
    /**
     * The largest message a worker can read: its context's frame limit, which may be smaller
     * than this process's (a queue's put checks the putting process's limit).
     */
    private final int frameLimit;
    /** How long a task runs in a worker, from the answers: unknown (-1) until the first. */
    private double nanosPerTask = -1;
    /** The most chunks one message has held, for tests. */
    private int largestMessage;
    /** The bytes of every tasks message put in a worker's inbox, for tests. */
    private long bytesSent;
    boolean shutdown;
    boolean terminated;
    boolean finished;

    /** The settings of a pool, from its builder. */
    record Settings(Context context, int processes, @Nullable ProcessTarget initializer, int maxTasksPerChild,
                    int maxWorkerDeaths, @Nullable Duration taskTimeout, Duration startTimeout, int retries) {
    }

    PoolEngine(Settings settings) {
        this.codec = settings.context().codec();
        this.maxTasksPerChild = settings.maxTasksPerChild();
        this.taskTimeout = settings.taskTimeout();
        this.retries = settings.retries();
        this.deaths = new WorkerDeaths(name, settings.maxWorkerDeaths());
        this.batchBytes = Math.max(1, Math.min(BATCH_BYTES, settings.context().maxFrameSize() / 4));
        this.frameLimit = settings.context().maxFrameSize() - Queue.FRAME_OVERHEAD;
        this.results = Queue.brokered(settings.context().maxFrameSize());
        this.callbacks = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = Thread.ofPlatform().daemon().name(name + "-callbacks").unstarted(r);
            callbackThread = t;
            return t;
        });
        callbacks.allowCoreThreadTimeOut(true);
        slots = new WorkerSlot[settings.processes()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new WorkerSlot(settings.context().maxFrameSize());
        }
        classCheck = PoolClassCheck.of(settings.context());
        store = new PoolStore(name, codec, PoolClassCheck.workersMayBeElsewhere(), settings.processes());
        launcher = new WorkerLauncher(this, settings.context(), settings.initializer(), settings.startTimeout());
        try {
            launcher.startAll();
        } catch (RuntimeException e) {
            terminate();
            releaseQueues();
            throw e;
        }
        Thread.ofPlatform().daemon().name(name + "-handler").start(new PoolHandler(this));
    }

    // ---- submission ----------------------------------------------------------------------

    /** @throws IllegalStateException if the pool no longer takes tasks */
    void checkOpen() {
        synchronized (lock) {
            checkOpenLocked();
        }
    }

    private void checkOpenLocked() {
        if (shutdown) {
            throw new IllegalStateException(name + " is " + (terminated ? "terminated" : "closed")
                    + ": it takes no new tasks");
        }
    }

    /**
     * Queues a chunk.
     *
     * @param label      what the chunk is, for messages
     * @param afterClose true for the rest of an imap's lookahead, which close() still runs
     * @return the chunk, or null if it failed at once (it could not be encoded, or the pool is
     * terminated or broken)
     * @throws IllegalStateException if the pool is closed and {@code afterClose} is false
     */
    @Nullable Chunk submit(PoolFunction<?, ?> function, List<?> arguments, Chunk.Label label,
                           ChunkSink sink, boolean afterClose) {
        EncodedFunction encodedFunction;
        byte[] argumentBytes;
        List<Chunk.Shared> shared = new ArrayList<>(0);
        try {
            encodedFunction = encoded(function);
            argumentBytes = ChunkWire.encodeValues(arguments, codec, encoded -> {
                if (encoded.length > WorkerCache.MAX_SHARED_BYTES) {
                    return -1;
                }
                long ref = refFor(new Content(encoded), true);
                if (ref >= 0) {
                    shared.add(new Chunk.Shared(ref, encoded));
                    store.use(ref, encoded, true);
                }
                return ref;
            });
            store.use(encodedFunction.ref(), encodedFunction.bytes(), false);
        } catch (CodecException e) {
            if (!afterClose) {
                checkOpen();
            }
            sink.failed("the task could not be encoded: " + e.getMessage(), e);
            return null;
        }
        PoolClassCheck check = classCheck;
        if (check != null) {
            try {
                check.check(function, encodedFunction.ref(), arguments);
            } catch (CodecException e) {
                if (!afterClose) {
                    checkOpen();
                }
                sink.failed(e.getMessage(), e);
                return null;
            }
        }
        Chunk chunk = null;
        synchronized (lock) {
            if (!afterClose) {
                checkOpenLocked();
            }
            BrokenPoolException b = deaths.broken();
            if (terminated || finished) {
                CancellationException c = new Terminated(name + " was terminated before the task ran");
                outbox.add(() -> sink.failed(c.getMessage(), c));
            } else if (b != null) {
                outbox.add(() -> sink.failed(b.getMessage(), b));
            } else {
                chunk = new Chunk(nextChunkId++, encodedFunction.bytes(), encodedFunction.ref(), argumentBytes,
                        shared.isEmpty() ? List.of() : shared, sink, label, arguments.size());
                pending.add(chunk);
                dispatchLocked();
            }
        }
        outbox.flush();
        return chunk;
    }

    /** {@return false once the pool is terminated or broken: submitted chunks fail at once} */
    boolean acceptsWork() {
        synchronized (lock) {
            return !terminated && !finished && deaths.broken() == null;
        }
    }

    /**
     * Withdraws a chunk: one not handed out yet is dropped; one waiting in a worker's inbox is
     * forgotten (the worker still runs it, in its place, but its answer is dropped and it never
     * runs again elsewhere); a running one, if {@code interrupt}, is abandoned and its worker
     * killed and replaced (no death is counted). A chunk withdrawn already is not withdrawn
     * again: a second cancel does nothing.
     *
     * @return whether the chunk was withdrawn
     */
    boolean cancel(Chunk chunk, boolean interrupt) {
        Process victim = null;
        synchronized (lock) {
            if (pending.remove(chunk)) {
                return true;
            }
            for (WorkerSlot slot : slots) {
                if (slot.forgot(chunk)) {
                    return false;
                }
                if (slot.running() == chunk) {
                    if (!interrupt) {
                        return false;
                    }
                    victim = abandonLocked(slot);
                    break;
                } else if (slot.holds(chunk)) {
                    slot.forget(chunk); // still in the inbox: it runs, its answer is ignored
                    return true;
                }
            }
        }
        if (victim == null) {
            return false;
        }
        WorkerLauncher.kill(victim);
        return true;
    }

    /**
     * Takes a running chunk from its worker, which gets no more work and is to be killed; its end
     * is no death.
     *
     * @return the worker to kill, outside the lock
     */
    @Nullable Process abandonLocked(WorkerSlot slot) {
        Chunk running = slot.running();
        if (running != null) {
            slot.forget(running);
        }
        slot.retiring = true; // the chunks it holds go back in line when it has ended
        slot.abandoned = true;
        return slot.process;
    }

    /**
     * The function encoded last, and its number: a program submits the same one again and
     * again.
     */
    private record EncodedFunction(Object function, byte[] bytes, long ref) {
    }

    private volatile @Nullable EncodedFunction lastFunction;
    /**
     * Encoded functions and shared arguments to their numbers, by content: two instances of one
     * lambda that capture equal values share a number, as do equal large arguments, so a worker
     * is sent and keeps one of them. Bounded like a worker's cache: when full it starts afresh,
     * and what is seen again gets a new number (and is sent again). Numbers are never reused.
     */
    private final Map<Content, Long> refs = new HashMap<>();
    private long refBytes;
    private long nextRef;
    /**
     * The large arguments seen once, by length and hash: an argument is shared from its second
     * sight on, so that a map over distinct large items fills no worker's cache with values
     * that never come again. A collision only shares a value at its first sight.
     */
    private final Set<Long> seenOnce = new HashSet<>();
    private static final int MAX_SEEN_ONCE = 4096;

    /** Encoded bytes as a key, compared by content. */
    private record Content(byte[] bytes, int hash) {
        Content(byte[] bytes) {
            this(bytes, Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Content c && c.hash == hash && Arrays.equals(c.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** {@return {@code function} encoded, with its number; the same lambda instance is encoded once} */
    private EncodedFunction encoded(PoolFunction<?, ?> function) {
        EncodedFunction last = lastFunction;
        if (last != null && last.function() == function) {
            return last;
        }
        byte[] bytes = codec.encode(function);
        EncodedFunction encoded = new EncodedFunction(function, bytes, refFor(new Content(bytes), false));
        lastFunction = encoded;
        return encoded;
    }

    /**
     * {@return the number of these encoded bytes: the same as for equal bytes before, or a new
     * one; or -1 when {@code secondSight} and they were not seen before}
     */
    private long refFor(Content key, boolean secondSight) {
        synchronized (refs) {
            Long known = refs.get(key);
            if (known != null) {
                return known;
            }
            if (secondSight) {
                long sight = ((long) key.bytes().length << 32) | (key.hash() & 0xffffffffL);
                if (!seenOnce.remove(sight)) {
                    if (seenOnce.size() >= MAX_SEEN_ONCE) {
                        seenOnce.clear();
                    }
                    seenOnce.add(sight);
                    return -1;
                }
            }
            if (refs.size() >= WorkerCache.MAX_ENTRIES || refBytes + key.bytes().length > WorkerCache.MAX_BYTES) {
                refs.clear();
                refBytes = 0;
            }
            long ref = nextRef++;
            refs.put(key, ref);
            refBytes += key.bytes().length;
            return ref;
        }
    }

    /** Keeps close() from stopping workers while the imap may still submit its lookahead. */
    void register(LazyImap<?> imap) {
        synchronized (lock) {
            checkOpenLocked();
            openImaps.add(imap);
        }
    }

    void unregister(LazyImap<?> imap) {
        synchronized (lock) {
            openImaps.remove(imap);
        }
    }

    /** The most chunks in one message. */
    static final int BATCH_CHUNKS = 512;
    /** The most bytes of chunks in one message (and at most a quarter of the frame limit). */
    static final int BATCH_BYTES = 1 << 20;
    /** How long the tasks of one message should run, by the estimate: long enough to hide a round trip. */
    static final long BATCH_NANOS = 5_000_000;

    /**
     * Hands pending chunks to workers: a message to each idle worker first, then one more to
     * each. A message holds one chunk, or, under a backlog of small chunks, several: as many as
     * run in about {@link #BATCH_NANOS} by the tasks' measured time, at most a quarter of the
     * line per worker (so the end of the work stays spread over the workers), at most
     * {@link #BATCH_CHUNKS} and {@link #BATCH_BYTES}. Until the first answer tells how long a
     * task runs, a message holds one chunk.
     *
     * <p>When the line is empty and a worker is idle while another has a message waiting behind
     * the one it runs, that message is taken back and handed out again ({@link
     * #takeBackLocked}): a short task never waits behind a long one for a worker that is busy
     * while another is free.
     */
    void dispatchLocked() {
        handOutLocked();
        for (int round = 0; round < slots.length && pending.isEmpty() && takeBackLocked(); round++) {
            handOutLocked();
        }
    }

    /**
     * Takes back, from the first worker that has one, the messages waiting in its inbox behind
     * the one it runs, if a worker is idle: they go in line to be handed out again.
     *
     * @return whether a chunk came back in line
     */
    private boolean takeBackLocked() {
        boolean idle = false;
        for (WorkerSlot slot : slots) {
            if (slot.canTake(1, maxTasksPerChild)) {
                idle = true;
                break;
            }
        }
        if (!idle) {
            return false;
        }
        for (WorkerSlot slot : slots) {
            if (slot.mayHaveWaiting()) {
                List<Chunk> back = slot.takeBackWaiting();
                if (!back.isEmpty()) {
                    pending.addAll(back);
                    return true;
                }
            }
        }
        return false;
    }

    /** Hands pending chunks out: a message to each idle worker first, then one more to each. */
    private void handOutLocked() {
        for (int depth = 1; depth <= WorkerSlot.PREFETCH; depth++) {
            for (WorkerSlot slot : slots) {
                if (pending.isEmpty()) {
                    return;
                }
                if (!slot.canTake(depth, maxTasksPerChild)) {
                    continue;
                }
                List<Chunk> message = nextMessageLocked(slot.allowance(maxTasksPerChild), slot.cache);
                largestMessage = Math.max(largestMessage, message.size());
                WorkerCache.Plan plan = slot.cache.plan(message);
                slot.give(message, plan, taskTimeout);
                long[] ids = new long[message.size()];
                long[] functionRefs = new long[ids.length];
                byte[][] arguments = new byte[ids.length][];
                for (int i = 0; i < ids.length; i++) {
                    Chunk c = message.get(i);
                    ids[i] = c.id();
                    functionRefs[i] = c.functionRef();
                    arguments[i] = c.arguments();
                }
                try {
                    byte[] tasks = ChunkWire.tasks(plan.forget(), plan.learnRefs(), learned(plan), ids,
                            functionRefs, arguments);
                    if (tasks.length > frameLimit) {
                        throw new IllegalArgumentException("its message of " + tasks.length + " bytes is more than the "
                                + frameLimit + " the pool's maxFrameSize allows; raise Context.Builder.maxFrameSize"
                                + " or pass less");
                    }
                    putQuietly(slot.inbox, tasks);
                    slot.cache.commit(message, plan);
                    bytesSent += tasks.length;
                } catch (RuntimeException cannotSend) {
                    // Too large for a frame, say: these chunks fail, the worker stays free.
                    slot.ungive(message);
                    for (Chunk chunk : message) {
                        outbox.add(() -> chunk.sink().failed("the task cannot be sent to a worker: "
                                + cannotSend.getMessage(), cannotSend));
                    }
                }
            }
        }
    }

    /**
     * Takes the chunks of the next message from the line: at least one, at most {@code
     * allowance}, and at most {@link #batchBytes} of what will travel (a function or shared
     * argument the worker has costs nothing, one the message already carries costs nothing more).
     */
    private List<Chunk> nextMessageLocked(int allowance, WorkerCache cache) {
        Chunk first = pending.poll();
        double perTask = nanosPerTask;
        if (perTask < 0 || pending.isEmpty() || allowance <= 1) {
            return List.of(first);
        }
        long maxTasks = Math.max(1, (long) (BATCH_NANOS / Math.max(perTask, 1.0)));
        int maxChunks = Math.min(Math.min(BATCH_CHUNKS, allowance),
                Math.max(1, (pending.size() + 1) / (4 * slots.length)));
        List<Chunk> message = new ArrayList<>(Math.min(maxChunks, pending.size() + 1));
        message.add(first);
        long tasks = first.tasks();
        Set<Long> carried = new HashSet<>();
        long bytes = cost(first, cache, carried);
        carry(first, carried);
        while (message.size() < maxChunks && !pending.isEmpty()) {
            Chunk next = pending.peek();
            long cost = cost(next, cache, carried);
            if (tasks + next.tasks() > maxTasks || bytes + cost > batchBytes) {
                break;
            }
            message.add(pending.poll());
            carry(next, carried);
            tasks += next.tasks();
            bytes += cost;
        }
        return message;
    }

    /** {@return how many bytes {@code c} adds to a message that carries {@code carried} already} */
    private long cost(Chunk c, WorkerCache cache, Set<Long> carried) {
        long size = c.arguments().length;
        if (!cache.has(c.functionRef()) && !carried.contains(c.functionRef())) {
            size += travelling(c.functionRef(), c.function().length);
        }
        for (Chunk.Shared shared : c.shared()) {
            if (!cache.has(shared.ref()) && !carried.contains(shared.ref())) {
                size += travelling(shared.ref(), shared.bytes().length);
            }
        }
        return size;
    }

    /** {@return how many bytes value {@code ref} takes in a message: its handle if stored} */
    private int travelling(long ref, int length) {
        PoolStore.Stored stored = store.get(ref);
        return stored == null ? length : stored.handle().length;
    }

    /** {@return what a message carries of each value the worker learns: its bytes, or where it is stored} */
    private ChunkWire.Learned[] learned(WorkerCache.Plan plan) {
        ChunkWire.Learned[] learned = new ChunkWire.Learned[plan.learnRefs().length];
        for (int i = 0; i < learned.length; i++) {
            PoolStore.Stored stored = store.get(plan.learnRefs()[i]);
            learned[i] = stored == null ? ChunkWire.Learned.inline(plan.learnBytes()[i])
                    : ChunkWire.Learned.stored(stored.length(), stored.handle());
        }
        return learned;
    }

    /** {@return how many large values the pool stored for its workers to fetch, for tests} */
    int storedValues() {
        return store.size();
    }

    private static void carry(Chunk c, Set<Long> carried) {
        carried.add(c.functionRef());
        for (Chunk.Shared shared : c.shared()) {
            carried.add(shared.ref());
        }
    }

    /** {@return how many functions and shared arguments the workers keep, summed} */
    int cachedInWorkers() {
        synchronized (lock) {
            int n = 0;
            for (WorkerSlot slot : slots) {
                n += slot.cache.size();
            }
            return n;
        }
    }

    /** {@return how many bytes of tasks messages went to workers so far} */
    long bytesSent() {
        synchronized (lock) {
            return bytesSent;
        }
    }

    /** {@return the most chunks one message to a worker has held so far} */
    int largestMessage() {
        synchronized (lock) {
            return largestMessage;
        }
    }

    /**
     * Learns how long a task runs from a worker's answer: a slower chunk counts at once, faster
     * ones pull the estimate down slowly, so a slow task shrinks the next messages right away.
     *
     * @param runNanos how long the chunk ran
     * @param tasks    how many tasks it held
     */
    void measuredLocked(long runNanos, int tasks) {
        double sample = (double) Math.max(0, runNanos) / Math.max(1, tasks);
        double now = nanosPerTask;
        nanosPerTask = now < 0 || sample > now ? sample : 0.9 * now + 0.1 * sample;
    }

    /** {@return how long a chunk of {@code tasks} tasks may run: the limit per task, times the tasks} */
    static long limitNanos(Duration perTask, int tasks) {
        try {
            return Math.multiplyExact(Primitives.saturatedNanos(perTask), Math.max(1, tasks));
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4;
        }
    }

    static void putQuietly(Queue<Object> queue, Object message) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    queue.put(message);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Counts a worker's death; the one too many breaks the pool. */
    void countDeathLocked(WorkerDiedException death) {
        BrokenPoolException b = deaths.countLocked(death, terminated);
        if (b != null) {
            failPendingLocked(b);
        }
    }

    /** Fails every chunk not handed out yet: the pool broke, so no worker will take them. */
    void failPendingLocked(BrokenPoolException b) {
        for (Chunk c : pending) {
            outbox.add(() -> c.sink().failed(b.getMessage(), b));
        }
        pending.clear();
    }

    // ---- ending ---------------------------------------------------------------------------

    /** {@return the sinks of the chunks that were never handed to a worker} */
    List<ChunkSink> terminate() {
        List<Process> victims = new ArrayList<>();
        List<ChunkSink> neverStarted = new ArrayList<>();
        List<LazyImap<?>> imaps;
        synchronized (lock) {
            shutdown = true;
            imaps = new ArrayList<>(openImaps);
            // A finished pool (closed, its work done) holds nothing; its queues are released.
            if (!terminated && !finished) {
                terminated = true;
                CancellationException c = new Terminated(name + " was terminated before the task completed");
                for (Chunk chunk : pending) {
                    neverStarted.add(chunk.sink());
                    outbox.add(() -> chunk.sink().failed(c.getMessage(), c));
                }
                pending.clear();
                for (WorkerSlot slot : slots) {
                    Set<Long> untaken = slot.drainInbox();
                    for (Chunk chunk : slot.takeAll()) {
                        if (untaken.contains(chunk.id())) {
                            neverStarted.add(chunk.sink()); // waited in the inbox, never taken
                        }
                        outbox.add(() -> chunk.sink().failed(c.getMessage(), c));
                    }
                    if (slot.process != null) {
                        victims.add(slot.process);
                    }
                }
                openImaps.clear();
            }
        }
        cut(imaps, "terminated");
        outbox.flush();
        for (Process p : victims) {
            WorkerLauncher.kill(p);
        }
        return neverStarted;
    }

    /**
     * Stops taking tasks. Open imaps stop pulling their sources; what they submitted still runs.
     */
    void shutdown() {
        List<LazyImap<?>> imaps;
        synchronized (lock) {
            shutdown = true;
            imaps = new ArrayList<>(openImaps);
            openImaps.clear();
        }
        cut(imaps, "closed");
    }

    private void cut(List<LazyImap<?>> imaps, String how) {
        for (LazyImap<?> imap : imaps) {
            imap.cut(name + " was " + how + " before this imap's source was used up: the rest of it was never run");
        }
    }

    /**
     * Frees the pool's queues in this process, and what it stored for its workers; called once no
     * worker can use them any more.
     */
    void releaseQueues() {
        store.close();
        results.release();
        for (WorkerSlot slot : slots) {
            slot.inbox.release();
        }
    }

    boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    boolean isTerminated() {
        return ended.getCount() == 0;
    }

    boolean awaitTermination(Duration timeout) throws InterruptedException {
        return ended.await(Math.max(0, Primitives.saturatedNanos(timeout)), TimeUnit.NANOSECONDS);
    }

    /** Stops taking tasks, lets the submitted ones complete, and waits. */
    void close() {
        shutdown();
        try {
            join();
        } catch (InterruptedException e) {
            // Interrupted: stop the workers, wait for the handler (it ends promptly once the
            // workers are killed), but not for callbacks, which user code may be blocking.
            terminate();
            boolean handlerEnded = false;
            while (!handlerEnded) {
                try {
                    ended.await();
                    handlerEnded = true;
                } catch (InterruptedException again) {
                    // keep waiting for the handler; the flag is set below
                }
            }
            Thread.currentThread().interrupt();
        }
    }

    void join() throws InterruptedException {
        synchronized (lock) {
            if (!shutdown) {
                throw new IllegalStateException(name + " is running: close() or terminate() it before join()");
            }
        }
        ended.await();
        if (Thread.currentThread() != callbackThread) {
            try {
                CompletableFuture.runAsync(() -> { }, callbacks).get();
            } catch (ExecutionException cannotHappen) {
                throw new IllegalStateException(cannotHappen);
            }
        }
    }

    // ---- for the API ----------------------------------------------------------------------

    Executor callbacks() {
        return callbacks;
    }

    int processes() {
        return slots.length;
    }

    String name() {
        return name;
    }

    boolean isBroken() {
        synchronized (lock) {
            return deaths.broken() != null;
        }
    }

    /** {@return the pids of the worker processes alive now} */
    List<Long> workerPids() {
        List<Long> pids = new ArrayList<>();
        synchronized (lock) {
            for (WorkerSlot slot : slots) {
                Process p = slot.process;
                Long pid = p == null ? null : p.pid();
                if (pid != null) {
                    pids.add(pid);
                }
            }
        }
        return pids;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            String state = finished ? "ended" : terminated ? "terminated" : shutdown ? "closing"
                    : deaths.broken() != null ? "broken" : "running";
            return "Pool[" + name + ", processes=" + slots.length + ", " + state + ", pending=" + pending.size() + "]";
        }
    }

    /**
     * The pool's own cancellation of a task (it was terminated first), told apart from a
     * {@link CancellationException} a task itself threw, which is the task's failure.
     */
    static final class Terminated extends CancellationException {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        Terminated(String message) {
            super(message);
        }
    }
}
