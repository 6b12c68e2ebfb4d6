package org.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
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
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ExitCodes;
import org.multiprocessing4j.internal.pool.PoolMessages;
import org.multiprocessing4j.internal.pool.WorkerLoop;

/**
 * The machinery behind a {@link Pool}: the table of which worker holds which chunk, the line of
 * chunks not handed out yet, and the handler thread that receives results and watches workers.
 *
 * <p>Every worker holds at most one chunk, put in its own inbox by this process, so at every
 * moment the pool knows what each worker holds. The handler thread alone takes from the result
 * queue, and it checks the workers' liveness on the same thread, after each result or every
 * {@link #TICK}: when a worker is found dead it first drains the result queue (a worker's
 * {@code put} returns once the item is here, so whatever it sent before dying is there by now),
 * then fails the chunk the worker still holds, or puts it back in line if the worker never took
 * it from its inbox, and starts a replacement.
 *
 * <p>Lock order: this engine's lock is never held while user code, a sink or a callback runs;
 * they are queued in {@link #outbox} and run by whichever thread leaves the lock.
 */
final class PoolEngine {
    private static final Duration TICK = Duration.ofMillis(50);
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** A chunk: its work, encoded once, and where its outcome goes. */
    record Chunk(long id, byte[] work, ChunkSink sink) {
    }

    private final Object lock = new Object();
    private final String name = "Pool-" + POOLS.incrementAndGet();
    private final Context context;
    private final Codec codec;
    private final @Nullable ProcessTarget initializer;
    private final int maxTasksPerChild;
    private final int maxWorkerDeaths;
    // Acknowledged puts: when the handler sees a worker dead, what it sent is already here.
    private final Queue<Object> results = new Queue<>(0, true);
    private final WorkerSlot[] slots;
    private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    private final Set<ImapIterator<?>> openImaps = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Runnable> outbox = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final ThreadPoolExecutor callbacks;
    private volatile @Nullable Thread callbackThread;
    private long nextChunkId;
    private int nextWorkerNumber;
    private int deathsInRow;
    private boolean shutdown;
    private boolean terminated;
    private boolean finished;
    private @Nullable BrokenPoolException broken;

    PoolEngine(Context context, int processes, @Nullable ProcessTarget initializer, int maxTasksPerChild,
               int maxWorkerDeaths) {
        this.context = context;
        this.codec = context.codec();
        this.initializer = initializer;
        this.maxTasksPerChild = maxTasksPerChild;
        this.maxWorkerDeaths = maxWorkerDeaths;
        this.callbacks = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = Thread.ofPlatform().daemon().name(name + "-callbacks").unstarted(r);
            callbackThread = t;
            return t;
        });
        callbacks.allowCoreThreadTimeOut(true);
        slots = new WorkerSlot[processes];
        for (int i = 0; i < processes; i++) {
            slots[i] = new WorkerSlot();
        }
        startAll();
        Thread.ofPlatform().daemon().name(name + "-handler").start(this::handle);
    }

    private void startAll() {
        AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();
        List<Thread> starters = new ArrayList<>();
        for (WorkerSlot slot : slots) {
            starters.add(Thread.ofVirtual().start(() -> {
                try {
                    startWorker(slot);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : starters) {
            ConnectionWait.joinUninterruptibly(t);
        }
        RuntimeException e = failure.get();
        if (e != null) {
            terminate();
            throw e;
        }
    }

    /** @return what a worker process runs; static, so that it captures nothing else */
    private static ProcessTarget workerTarget(int number, Queue<Object> inbox, Queue<Object> results,
                                              @Nullable ProcessTarget initializer) {
        return () -> WorkerLoop.run(number, inbox, results, initializer);
    }

    /** Starts a worker in {@code slot}; a failure counts as a death, and is thrown. */
    private void startWorker(WorkerSlot slot) {
        int number;
        synchronized (lock) {
            number = ++nextWorkerNumber;
            slot.reset(number);
            slot.starting = true;
        }
        Process p = context.process(workerTarget(number, slot.inbox, results, initializer));
        p.setName(slot.name());
        p.setDaemon(true);
        try {
            p.start();
        } catch (RuntimeException e) {
            synchronized (lock) {
                slot.starting = false;
                countDeathLocked(new WorkerDiedException(slot.name() + " could not be started: " + e.getMessage(),
                        slot.name(), null, false, e));
            }
            flush();
            throw e;
        }
        boolean kill;
        synchronized (lock) {
            slot.starting = false;
            slot.process = p;
            kill = terminated;
            if (!kill) {
                dispatchLocked();
            }
        }
        if (kill) {
            p.kill();
        }
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
     * @param afterClose true for the rest of an imap's source, which close() still runs
     * @return the chunk, or null if it failed at once (it could not be encoded, or the pool is
     * terminated or broken)
     * @throws IllegalStateException if the pool is closed and {@code afterClose} is false
     */
    @Nullable Chunk submit(PoolFunction<?, ?> function, List<@Nullable Object> arguments, ChunkSink sink,
                           boolean afterClose) {
        byte[] work;
        try {
            work = codec.encode(new PoolMessages.ChunkWork(erase(function), arguments));
        } catch (CodecException e) {
            if (!afterClose) {
                checkOpen();
            }
            sink.failed("the task could not be encoded: " + e.getMessage(), e);
            return null;
        }
        Chunk chunk = null;
        synchronized (lock) {
            if (!afterClose) {
                checkOpenLocked();
            }
            BrokenPoolException b = broken;
            if (terminated || finished) {
                CancellationException c = new CancellationException(name + " was terminated before the task ran");
                outbox.add(() -> sink.failed(c.getMessage(), c));
            } else if (b != null) {
                outbox.add(() -> sink.failed(b.getMessage(), b));
            } else {
                chunk = new Chunk(nextChunkId++, work, sink);
                pending.add(chunk);
                dispatchLocked();
            }
        }
        flush();
        return chunk;
    }

    /** @return false once the pool is terminated or broken: submitted chunks fail at once */
    boolean acceptsWork() {
        synchronized (lock) {
            return !terminated && !finished && broken == null;
        }
    }

    /**
     * Withdraws a chunk: one not handed out yet is dropped; a running one, if {@code interrupt},
     * is abandoned and its worker killed and replaced (no death is counted).
     *
     * @return whether the chunk was withdrawn
     */
    boolean cancel(Chunk chunk, boolean interrupt) {
        Process victim = null;
        synchronized (lock) {
            if (pending.remove(chunk)) {
                return true;
            }
            if (!interrupt) {
                return false;
            }
            for (WorkerSlot slot : slots) {
                if (slot.assigned == chunk) {
                    slot.assigned = null;
                    slot.retiring = true; // gets no more work; its end is no death
                    victim = slot.process;
                }
            }
        }
        if (victim == null) {
            return false;
        }
        try {
            victim.kill();
        } catch (IllegalStateException endedAndClosed) {
            // it died by itself meanwhile: its chunk fails as a death
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static PoolFunction<Object, Object> erase(PoolFunction<?, ?> function) {
        return (PoolFunction<Object, Object>) function;
    }

    /** Keeps close() from stopping workers while the imap may still pull from its source. */
    void register(ImapIterator<?> imap) {
        synchronized (lock) {
            checkOpenLocked();
            openImaps.add(imap);
        }
    }

    void unregister(ImapIterator<?> imap) {
        synchronized (lock) {
            openImaps.remove(imap);
        }
    }

    private void dispatchLocked() {
        for (WorkerSlot slot : slots) {
            if (pending.isEmpty()) {
                return;
            }
            if (slot.process == null || slot.starting || slot.retiring || slot.assigned != null) {
                continue;
            }
            Chunk chunk = pending.poll();
            slot.assigned = chunk;
            try {
                putQuietly(slot.inbox, new PoolMessages.Task(chunk.id(), chunk.work()));
            } catch (RuntimeException cannotSend) {
                // Too large for a frame, say: this chunk fails, the worker stays free.
                slot.assigned = null;
                outbox.add(() -> chunk.sink().failed("the task cannot be sent to a worker: "
                        + cannotSend.getMessage(), cannotSend));
            }
        }
    }

    private static void putQuietly(Queue<Object> queue, Object message) {
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

    /** Runs what was queued for running outside the lock. */
    private void flush() {
        List<Runnable> todo;
        synchronized (lock) {
            if (outbox.isEmpty()) {
                return;
            }
            todo = new ArrayList<>(outbox);
            outbox.clear();
        }
        for (Runnable r : todo) {
            try {
                r.run();
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (RuntimeException | Error failure) {
                // one result that cannot be delivered (its class fails to initialise here, say)
                // must not cost the others theirs
                System.err.println("multiprocessing4j: a pool result could not be delivered: " + failure);
            }
        }
    }

    // ---- the handler thread ---------------------------------------------------------------

    private void handle() {
        try {
            while (true) {
                Object message = poll();
                List<WorkerSlot> toStart = new ArrayList<>();
                List<Process> toReap = new ArrayList<>();
                boolean done;
                synchronized (lock) {
                    if (message != null) {
                        receiveLocked(message);
                    }
                    superviseLocked(toStart, toReap);
                    dispatchLocked();
                    stopIdleWorkersLocked();
                    done = shutdown && allSlotsEmptyLocked();
                    finished = done;
                }
                flush();
                for (Process p : toReap) {
                    reap(p);
                }
                for (WorkerSlot slot : toStart) {
                    // A replacement boots on a thread of its own: while it does, this thread
                    // goes on reading results and watching the other workers.
                    Thread.ofVirtual().name(name + " starter").start(() -> {
                        try {
                            startWorker(slot);
                        } catch (RuntimeException countedAsADeath) {
                            // the slot stays empty; the next tick tries again unless the pool broke
                        }
                    });
                }
                if (done) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            System.err.println(name + ": the pool's handler thread failed; the pool is terminated");
            e.printStackTrace();
            terminate();
            throw e;
        } finally {
            ended.countDown();
        }
    }

    private @Nullable Object poll() {
        try {
            return results.get(TICK);
        } catch (Queue.Empty | InterruptedException nothing) {
            return null;
        }
    }

    private void receiveLocked(Object message) {
        switch (message) {
            case PoolMessages.ChunkDone done -> {
                WorkerSlot slot = slotOf(done.worker());
                Chunk chunk = slot == null ? null : slot.assigned;
                if (slot == null || chunk == null || chunk.id() != done.chunkId()) {
                    return; // its chunk was failed or put back already
                }
                slot.assigned = null;
                slot.chunksDone++;
                deathsInRow = 0;
                String worker = slot.name();
                outbox.add(() -> deliver(chunk, done, worker));
                if (maxTasksPerChild > 0 && slot.chunksDone >= maxTasksPerChild) {
                    retireLocked(slot);
                }
            }
            case PoolMessages.OutOfMemory oom -> {
                WorkerSlot slot = slotOf(oom.worker());
                if (slot != null) {
                    slot.outOfMemory = true;
                }
            }
            case PoolMessages.InitializerFailed failed -> {
                WorkerSlot slot = slotOf(failed.worker());
                if (slot != null) {
                    slot.initializerFailure = failed.failure();
                }
            }
            default -> System.err.println(name + ": unexpected message from a worker: " + message);
        }
    }

    private void deliver(Chunk chunk, PoolMessages.ChunkDone done, String worker) {
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
            chunk.sink().failed("a task failed in " + worker + ": " + cause, cause);
            return;
        }
        List<@Nullable Object> decoded;
        try {
            @SuppressWarnings("unchecked")
            List<@Nullable Object> list = (List<@Nullable Object>) codec.decode(values);
            decoded = list;
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error e) {
            chunk.sink().failed("the results of a task from " + worker + " could not be decoded: "
                    + e.getMessage(), e);
            return;
        }
        chunk.sink().succeeded(decoded == null ? List.of() : decoded);
    }

    private @Nullable WorkerSlot slotOf(int number) {
        for (WorkerSlot slot : slots) {
            if (slot.number == number) {
                return slot;
            }
        }
        return null;
    }

    private void superviseLocked(List<WorkerSlot> toStart, List<Process> toReap) {
        boolean anyDead = false;
        for (WorkerSlot slot : slots) {
            Process p = slot.process;
            anyDead |= p != null && !p.isAlive();
        }
        if (anyDead) {
            drainResultsLocked();
            for (WorkerSlot slot : slots) {
                Process p = slot.process;
                if (p != null && !p.isAlive()) {
                    slotEndedLocked(slot, p);
                    toReap.add(p);
                }
            }
        }
        boolean want = !terminated && broken == null && (!shutdown || !pending.isEmpty());
        for (WorkerSlot slot : slots) {
            if (want && slot.process == null && !slot.starting) {
                slot.starting = true;
                toStart.add(slot);
            }
        }
    }

    /** What a dead worker sent before it died is in the result queue by now: take it first. */
    private void drainResultsLocked() {
        while (true) {
            Object message;
            try {
                message = results.getNowait();
            } catch (Queue.Empty e) {
                return;
            }
            if (message != null) {
                receiveLocked(message);
            }
        }
    }

    private void slotEndedLocked(WorkerSlot slot, Process p) {
        Integer code = p.exitCode();
        boolean untaken = false;
        while (true) {
            try {
                untaken |= slot.inbox.getNowait() instanceof PoolMessages.Task;
            } catch (Queue.Empty e) {
                break;
            }
        }
        Chunk chunk = slot.assigned;
        slot.assigned = null;
        slot.process = null;
        if (chunk != null && untaken) {
            pending.addFirst(chunk); // never taken: it runs elsewhere
            chunk = null;
        }
        if (broken != null) {
            failPendingLocked(broken); // a broken pool starts no worker that could take them
        }
        if (terminated || (chunk == null && slot.retiring)) {
            return;
        }
        String worker = slot.name();
        String exit = code == null ? "an unknown exit code" : ExitCodes.describe(code);
        Throwable reported = slot.initializerFailure == null ? null : slot.initializerFailure.decode(codec);
        String how = slot.outOfMemory ? "ran out of memory (" + exit + ")"
                : reported != null ? "died in its initializer (" + exit + "): " + reported
                : "died with " + exit;
        WorkerDiedException death = new WorkerDiedException(worker + " " + how, worker, code, slot.outOfMemory, reported);
        if (chunk != null) {
            Chunk lost = chunk;
            outbox.add(() -> lost.sink().failed(worker + " " + how + " while running this task", death));
        }
        countDeathLocked(death);
    }

    private void countDeathLocked(WorkerDiedException death) {
        deathsInRow++;
        if (broken != null || terminated || deathsInRow < maxWorkerDeaths) {
            return;
        }
        BrokenPoolException b = new BrokenPoolException(name + " is broken: " + deathsInRow
                + " workers died in a row with no task completed in between; the last: " + death.getMessage(), death);
        broken = b;
        failPendingLocked(b);
    }

    private void failPendingLocked(BrokenPoolException b) {
        for (Chunk c : pending) {
            outbox.add(() -> c.sink().failed(b.getMessage(), b));
        }
        pending.clear();
    }

    private void stopIdleWorkersLocked() {
        if (!shutdown || terminated || !pending.isEmpty() || !openImaps.isEmpty()) {
            return;
        }
        for (WorkerSlot slot : slots) {
            if (slot.process != null && slot.assigned == null && !slot.retiring) {
                retireLocked(slot);
            }
        }
    }

    private void retireLocked(WorkerSlot slot) {
        slot.retiring = true;
        putQuietly(slot.inbox, new PoolMessages.Stop());
    }

    private boolean allSlotsEmptyLocked() {
        for (WorkerSlot slot : slots) {
            if (slot.process != null || slot.starting) {
                return false;
            }
        }
        return true;
    }

    private static void reap(Process p) {
        try {
            if (p.join(Duration.ofSeconds(5))) {
                p.close();
            }
        } catch (InterruptedException | RuntimeException e) {
            // its output may be cut short; nothing else depends on it
        }
    }

    // ---- ending ---------------------------------------------------------------------------

    /** @return the sinks of the chunks that were never handed to a worker */
    List<ChunkSink> terminate() {
        List<Process> victims = new ArrayList<>();
        List<ChunkSink> neverStarted = new ArrayList<>();
        synchronized (lock) {
            shutdown = true;
            if (!terminated) {
                terminated = true;
                CancellationException c = new CancellationException(name + " was terminated before the task completed");
                for (Chunk chunk : pending) {
                    neverStarted.add(chunk.sink());
                    outbox.add(() -> chunk.sink().failed(c.getMessage(), c));
                }
                pending.clear();
                for (WorkerSlot slot : slots) {
                    Chunk chunk = slot.assigned;
                    if (chunk != null) {
                        outbox.add(() -> chunk.sink().failed(c.getMessage(), c));
                    }
                    slot.assigned = null;
                    if (slot.process != null) {
                        victims.add(slot.process);
                    }
                }
                openImaps.clear();
            }
        }
        flush();
        for (Process p : victims) {
            try {
                p.kill();
            } catch (IllegalStateException alreadyClosed) {
                // reaped meanwhile
            }
        }
        return neverStarted;
    }

    /** Stops taking tasks; pulls the rest of every open imap's source, which still runs. */
    void shutdown() {
        List<ImapIterator<?>> imaps;
        synchronized (lock) {
            shutdown = true;
            imaps = new ArrayList<>(openImaps);
        }
        for (ImapIterator<?> imap : imaps) {
            imap.drainSource();
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
        return ended.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Stops taking tasks, runs the rest of every open imap's source too, and waits. */
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
            return broken != null;
        }
    }

    /** @return the pids of the worker processes alive now */
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
                    : broken != null ? "broken" : "running";
            return "Pool[" + name + ", processes=" + slots.length + ", " + state + ", pending=" + pending.size() + "]";
        }
    }
}
