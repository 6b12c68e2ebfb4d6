package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.multiprocessing4j.AsyncResult;
import org.multiprocessing4j.BrokenPoolException;
import org.multiprocessing4j.CodecException;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.PoolCallable;
import org.multiprocessing4j.PoolTaskException;
import org.multiprocessing4j.ProcessExecutorService;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.RemoteException;
import org.multiprocessing4j.WorkerDiedException;

/**
 * {@link Pool}: Python's API, and a pool that never hangs on a dead worker. Most tests share one
 * pool of two workers (a worker costs a JVM start); those that need other settings, or break or
 * end their pool, make their own with one worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PoolKit extends TransportKit {
    private @Nullable Pool shared;

    /** For a transport's test class, which supplies {@link #context()}. */
    protected PoolKit() {
    }

    @BeforeAll
    final void startSharedPool() {
        shared = Pool.builder().context(context()).processes(2).build();
    }

    @AfterAll
    final void endSharedPool() throws InterruptedException {
        if (shared != null) {
            shared.terminate();
            shared.join();
        }
    }

    private Pool pool() {
        return Objects.requireNonNull(shared, "the shared pool");
    }

    private Pool.Builder ownPool() {
        return Pool.builder().context(context()).processes(1);
    }

    // ---- what the workers run ----------------------------------------------------------------

    static int square(int x) {
        return x * x;
    }

    static int add(int a, int b) {
        return a + b;
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static int failOn(int x, int bad) {
        if (x == bad) {
            throw new IllegalArgumentException("bad item " + x);
        }
        return x * x;
    }

    static int hangAt(Queue<Long> pids, int x, int victim) throws InterruptedException {
        if (x == victim) {
            pids.put(pid());
            Thread.sleep(600_000);
        }
        return x * x;
    }

    static int exitWith(int code) {
        System.exit(code);
        return code;
    }

    static int exhaustMemory() {
        List<long[]> hog = new ArrayList<>();
        while (true) {
            hog.add(new long[1 << 17]);
        }
    }

    static String awaitEvent(Event e) throws InterruptedException {
        e.await();
        return "released";
    }

    static int slowSquare(int x) throws InterruptedException {
        Thread.sleep(300);
        return x * x;
    }

    static Object throwUnencodable() throws UnencodableException {
        throw new UnencodableException("carries a thread");
    }

    static void countInitialization() {
        System.setProperty("pool.kit.init", String.valueOf(Integer.getInteger("pool.kit.init", 0) + 1));
    }

    static void failInitialization() {
        throw new IllegalStateException("no database");
    }

    /** An exception that cannot be encoded: it refers to a thread. */
    @SuppressWarnings("serial")
    static final class UnencodableException extends Exception {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Object thread = new Thread();

        UnencodableException(String message) {
            super(message);
        }

        @Override
        public String toString() {
            return super.toString() + " " + thread.getClass();
        }
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private static List<Integer> squares(int from, int to) {
        return IntStream.range(from, to).map(x -> x * x).boxed().toList();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    // ---- Python's API ----------------------------------------------------------------------

    @Test
    @DisplayName("map returns results in order, with the automatic chunk size, a given one, and for no items")
    void map() throws Exception {
        assertEquals(squares(0, 50), pool().map(PoolKit::square, range(0, 50)));
        assertEquals(squares(0, 10), pool().map(PoolKit::square, range(0, 10), 3));
        assertEquals(List.of(), pool().map(PoolKit::square, List.<Integer>of()));
    }

    @Test
    @DisplayName("apply runs a callable or a function in a worker process")
    void apply() throws Exception {
        Long worker = pool().apply(PoolKit::pid);
        assertNotEquals(ProcessHandle.current().pid(), worker);
        assertTrue(pool().workerPids().contains(worker), "pid " + worker + " is not a worker's");
        assertEquals(49, pool().apply(PoolKit::square, 7));
    }

    @Test
    @DisplayName("an AsyncResult: not ready, successful() refused, get(timeout) times out; then the value")
    void asyncResultStates() throws Exception {
        Event release = new Event();
        AsyncResult<String> r = pool().applyAsync(() -> awaitEvent(release));
        assertFalse(r.ready());
        assertThrows(IllegalStateException.class, r::successful);
        assertThrows(TimeoutException.class, () -> r.get(Duration.ofMillis(100)));
        assertFalse(r.waitFor(Duration.ofMillis(100)));
        release.set();
        assertEquals("released", r.get(PATIENCE));
        assertTrue(r.ready());
        assertTrue(r.successful());
        assertTrue(r.waitFor(Duration.ZERO));
    }

    @Test
    @DisplayName("callbacks get the value, the list, or the PoolTaskException, on the pool's callback thread")
    void callbacks() throws Exception {
        CompletableFuture<Object> value = new CompletableFuture<>();
        CompletableFuture<String> thread = new CompletableFuture<>();
        pool().applyAsync(PoolKit::square, 6, v -> {
            thread.complete(Thread.currentThread().getName());
            value.complete(v);
        }, value::completeExceptionally);
        assertEquals(36, value.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(thread.get().contains("callbacks"), thread.get());

        CompletableFuture<Object> list = new CompletableFuture<>();
        pool().mapAsync(PoolKit::square, range(0, 5), 2, list::complete, list::completeExceptionally);
        assertEquals(squares(0, 5), list.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));

        CompletableFuture<PoolTaskException> error = new CompletableFuture<>();
        AsyncResult<Integer> failed = pool().applyAsync(x -> failOn(x, 1), 1, v -> error.cancel(false), error::complete);
        PoolTaskException e = error.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertFalse(failed.successful());
    }

    @Test
    @DisplayName("a task's exception is the cause of the PoolTaskException, with the worker's stack trace")
    void taskException() throws Exception {
        PoolTaskException e = assertThrows(PoolTaskException.class, () -> pool().apply(x -> failOn(x, 3), 3));
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals("bad item 3", cause.getMessage());
        assertTrue(Arrays.stream(cause.getStackTrace()).anyMatch(s -> s.getMethodName().equals("failOn")),
                Arrays.toString(cause.getStackTrace()));
        assertTrue(e.getMessage().contains("PoolWorker-"), e.getMessage());
    }

    @Test
    @DisplayName("an exception that cannot be encoded arrives as a RemoteException with its class, message and stack")
    void unencodableException() throws Exception {
        PoolTaskException e = assertThrows(PoolTaskException.class, () -> pool().apply(PoolKit::throwUnencodable));
        RemoteException cause = assertInstanceOf(RemoteException.class, e.getCause());
        assertEquals(UnencodableException.class.getName(), cause.remoteClassName());
        assertEquals("carries a thread", cause.getMessage());
        assertTrue(Arrays.stream(cause.getStackTrace()).anyMatch(s -> s.getMethodName().equals("throwUnencodable")),
                Arrays.toString(cause.getStackTrace()));
    }

    @Test
    @DisplayName("a task that cannot be encoded fails its result, naming the class, and the pool goes on")
    void unencodableTask() throws Exception {
        Thread notSerializable = new Thread();
        AsyncResult<String> r = pool().applyAsync(() -> notSerializable.getName());
        PoolTaskException e = assertThrows(PoolTaskException.class, () -> r.get(PATIENCE));
        CodecException cause = assertInstanceOf(CodecException.class, e.getCause());
        assertTrue(cause.getMessage().contains("java.lang.Thread"), cause.getMessage());
        assertEquals(4, pool().apply(PoolKit::square, 2));
    }

    @Test
    @DisplayName("starmap applies a two-argument function to pairs, in order")
    void starmap() throws Exception {
        assertEquals(List.of(3, 7, 11), pool().starmap(PoolKit::add, List.of(Map.entry(1, 2), Map.entry(3, 4), Map.entry(5, 6))));
        assertEquals(List.of(0), pool().starmapAsync(PoolKit::add, List.of(Map.entry(0, 0))).get(PATIENCE));
    }

    @Test
    @DisplayName("imap yields in order; a failed item throws at its place and the iteration goes on")
    void imapOrdered() throws Exception {
        Iterator<Integer> it = pool().imap(x -> failOn(x, 3), range(0, 7).iterator());
        List<Object> got = new ArrayList<>();
        while (it.hasNext()) {
            try {
                got.add(it.next());
            } catch (PoolTaskException e) {
                got.add(e.getCause().getMessage());
            }
        }
        assertEquals(List.of(0, 1, 4, "bad item 3", 16, 25, 36), got);
    }

    @Test
    @DisplayName("imapUnordered yields every result once")
    void imapUnordered() throws Exception {
        Iterator<Integer> it = pool().imapUnordered(PoolKit::square, range(0, 20).iterator(), 3);
        List<Integer> got = new ArrayList<>();
        it.forEachRemaining(got::add);
        assertEquals(20, got.size());
        assertEquals(new HashSet<>(squares(0, 20)), new HashSet<>(got));
    }

    @Test
    @DisplayName("imap pulls its source lazily: never more than twice the workers' chunks ahead of the consumer")
    void imapIsLazy() throws Exception {
        AtomicInteger pulled = new AtomicInteger();
        Iterator<Integer> source = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return pulled.get() < 200;
            }

            @Override
            public Integer next() {
                return pulled.getAndIncrement();
            }
        };
        Iterator<Integer> it = pool().imap(PoolKit::square, source);
        for (int i = 0; i < 3; i++) {
            assertEquals(i * i, it.next());
        }
        int lookahead = 2 * pool().processes();
        assertTrue(pulled.get() <= 3 + lookahead, "pulled " + pulled.get() + " items for 3 results");
        Thread.sleep(200);
        assertTrue(pulled.get() <= 3 + lookahead, "pulled " + pulled.get() + " items for 3 results, later");
        int count = 3;
        while (it.hasNext()) {
            assertEquals(count * count, it.next());
            count++;
        }
        assertEquals(200, count);
    }

    @Test
    @DisplayName("toCompletableFuture completes with the value, or exceptionally with the task's exception")
    void completableFutureView() throws Exception {
        assertEquals(squares(1, 5), pool().mapAsync(PoolKit::square, range(1, 5)).toCompletableFuture()
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        CompletableFuture<Integer> failed = pool().applyAsync(x -> failOn(x, 2), 2).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> failed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    @DisplayName("join() before close() or terminate() is refused")
    void joinWhileRunning() {
        assertThrows(IllegalStateException.class, () -> pool().join());
    }

    // ---- dead workers ----------------------------------------------------------------------

    @Test
    @DisplayName("a worker killed mid-map fails exactly its task, naming the worker and SIGKILL; the rest complete")
    void workerKilledMidMap() throws Exception {
        Queue<Long> pids = new Queue<>();
        Iterator<Integer> it = pool().imap(x -> hangAt(pids, x, 2), range(0, 6).iterator());
        CompletableFuture<List<Object>> all = inBackground(() -> {
            List<Object> got = new ArrayList<>();
            while (it.hasNext()) {
                try {
                    got.add(it.next());
                } catch (PoolTaskException e) {
                    got.add(e);
                }
            }
            return got;
        });
        long victim = Objects.requireNonNull(pids.get(PATIENCE));
        ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
        List<Object> got = all.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of(0, 1), got.subList(0, 2));
        assertEquals(List.of(9, 16, 25), got.subList(3, 6));
        PoolTaskException e = assertInstanceOf(PoolTaskException.class, got.get(2));
        WorkerDiedException death = assertInstanceOf(WorkerDiedException.class, e.getCause());
        assertTrue(death.getMessage().contains("signal 9 (SIGKILL)"), death.getMessage());
        assertTrue(death.getMessage().contains(death.workerName()) && death.workerName().startsWith("PoolWorker-"),
                death.getMessage());
        assertEquals(-9, death.exitCode());
        assertFalse(death.outOfMemory());
        assertNotEquals(victim, pool().apply(PoolKit::pid));
        awaitTrue("a replacement worker", () -> pool().workerPids().size() == 2);
    }

    @Test
    @DisplayName("System.exit in a task fails that task with the exit code; the worker is replaced")
    void systemExit() throws Exception {
        AsyncResult<Integer> r = pool().applyAsync(() -> exitWith(7));
        PoolTaskException e = assertThrows(PoolTaskException.class, () -> r.get(PATIENCE));
        WorkerDiedException death = assertInstanceOf(WorkerDiedException.class, e.getCause());
        assertEquals(7, death.exitCode());
        assertTrue(e.getMessage().contains("exit code 7"), e.getMessage());
        assertEquals(squares(0, 6), pool().map(PoolKit::square, range(0, 6), 1));
    }

    @Test
    @DisplayName("an OutOfMemoryError in a task ends its worker; the task fails saying 'out of memory'")
    void outOfMemory() throws Exception {
        Context small = context().toBuilder().jvmOptions(withOption(context().jvmOptions(), "-Xmx32m")).build();
        try (Pool pool = ownPool().context(small).build()) {
            PoolTaskException e = assertThrows(PoolTaskException.class, () -> pool.apply(PoolKit::exhaustMemory));
            WorkerDiedException death = assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertTrue(death.outOfMemory(), death.getMessage());
            assertTrue(death.getMessage().contains("out of memory"), death.getMessage());
            assertEquals(9, pool.apply(PoolKit::square, 3));
        }
    }

    private static List<String> withOption(List<String> options, String option) {
        List<String> all = new ArrayList<>(options);
        all.add(option);
        return all;
    }

    @Test
    @DisplayName("after maxWorkerDeaths deaths in a row the pool is broken: pending and later tasks fail, close() returns")
    void brokenPool() throws Exception {
        try (Pool pool = ownPool().maxWorkerDeaths(2).build()) {
            AsyncResult<Integer> first = pool.applyAsync(() -> exitWith(3));
            AsyncResult<Integer> second = pool.applyAsync(() -> exitWith(3));
            AsyncResult<Integer> pending = pool.applyAsync(PoolKit::square, 2);
            for (AsyncResult<Integer> died : List.of(first, second)) {
                PoolTaskException e = assertThrows(PoolTaskException.class, () -> died.get(PATIENCE));
                assertInstanceOf(WorkerDiedException.class, e.getCause());
            }
            PoolTaskException e = assertThrows(PoolTaskException.class, () -> pending.get(PATIENCE));
            BrokenPoolException broken = assertInstanceOf(BrokenPoolException.class, e.getCause());
            assertTrue(broken.getMessage().contains("2 workers died in a row"), broken.getMessage());
            assertTrue(pool.isBroken());
            PoolTaskException later = assertThrows(PoolTaskException.class, () -> pool.apply(PoolKit::square, 2));
            assertInstanceOf(BrokenPoolException.class, later.getCause());
        }
    }

    // ---- settings ----------------------------------------------------------------------------

    @Test
    @DisplayName("the initializer runs once in each worker, before its tasks")
    void initializer() throws Exception {
        try (Pool pool = ownPool().initializer(PoolKit::countInitialization).build()) {
            assertEquals(List.of("1", "1", "1"), pool.map(x -> System.getProperty("pool.kit.init"), range(0, 3), 1));
        }
    }

    @Test
    @DisplayName("an initializer that throws breaks the pool with its message instead of respawning forever")
    void failingInitializer() throws Exception {
        try (Pool pool = ownPool().maxWorkerDeaths(2).initializer(PoolKit::failInitialization).build()) {
            PoolTaskException e = assertThrows(PoolTaskException.class, () -> pool.apply(PoolKit::square, 1));
            BrokenPoolException broken = assertInstanceOf(BrokenPoolException.class, e.getCause());
            assertTrue(broken.getMessage().contains("initializer") && broken.getMessage().contains("no database"),
                    broken.getMessage());
        }
    }

    @Test
    @DisplayName("a task waiting in a worker that dies after the pool broke fails too: no get() hangs")
    void untakenTaskOfABrokenPool() throws Exception {
        try (Pool pool = Pool.builder().context(context()).processes(2).maxWorkerDeaths(1)
                .initializer(PoolKit::failInitialization).build()) {
            AsyncResult<Integer> a = pool.applyAsync(PoolKit::square, 1);
            AsyncResult<Integer> b = pool.applyAsync(PoolKit::square, 2);
            for (AsyncResult<Integer> r : List.of(a, b)) {
                PoolTaskException e = assertThrows(PoolTaskException.class, () -> r.get(PATIENCE));
                assertTrue(e.getCause() instanceof BrokenPoolException || e.getCause() instanceof WorkerDiedException,
                        String.valueOf(e.getCause()));
            }
        }
    }

    @Test
    @DisplayName("maxTasksPerChild replaces a worker after that many chunks: different pids")
    void maxTasksPerChild() throws Exception {
        try (Pool pool = ownPool().maxTasksPerChild(2).build()) {
            List<Long> pids = pool.map(x -> pid(), range(0, 4), 1);
            assertEquals(pids.get(0), pids.get(1));
            assertEquals(pids.get(2), pids.get(3));
            assertNotEquals(pids.get(0), pids.get(2));
        }
    }

    // ---- ending ------------------------------------------------------------------------------

    @Test
    @DisplayName("terminate() kills the workers and fails unfinished tasks with a CancellationException")
    void terminate() throws Exception {
        Pool pool = ownPool().build();
        List<Long> workers = pool.workerPids();
        AsyncResult<Long> r = pool.applyAsync(PoolKit::sleepLong);
        pool.terminate();
        PoolTaskException e = assertThrows(PoolTaskException.class, () -> r.get(PATIENCE));
        assertInstanceOf(CancellationException.class, e.getCause());
        pool.join();
        for (long pid : workers) {
            assertFalse(alive(pid), "worker " + pid + " still runs");
        }
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(PoolKit::square, 1));
    }

    static long sleepLong() throws InterruptedException {
        Thread.sleep(600_000);
        return 0;
    }

    @Test
    @DisplayName("try-with-resources close() waits for submitted tasks and an open imap, then ends the workers")
    void closeWaitsForResults() throws Exception {
        Pool pool = ownPool().build();
        List<Long> workers = pool.workerPids();
        AsyncResult<Integer> r;
        Iterator<Integer> it;
        try (pool) {
            r = pool.applyAsync(PoolKit::slowSquare, 5);
            it = pool.imap(PoolKit::square, range(0, 10).iterator());
        }
        assertTrue(r.ready());
        assertEquals(25, r.get());
        List<Integer> rest = new ArrayList<>();
        it.forEachRemaining(rest::add);
        assertEquals(squares(0, 10), rest);
        for (long pid : workers) {
            assertFalse(alive(pid), "worker " + pid + " still runs");
        }
        assertThrows(IllegalStateException.class, () -> pool.apply(PoolKit::square, 1));
        pool.join();
    }

    // ---- the ExecutorService view --------------------------------------------------------------

    @Test
    @DisplayName("the ExecutorService view: submit, invokeAll, invokeAny; a task's exception is the ExecutionException's cause")
    void executorService() throws Exception {
        ProcessExecutorService exec = pool().asExecutorService();
        assertNotEquals(ProcessHandle.current().pid(), exec.submit(PoolKit::pid).get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        List<PoolCallable<Integer>> tasks = List.of(() -> square(2), () -> square(3), () -> square(4));
        List<Integer> all = new ArrayList<>();
        for (Future<Integer> f : exec.invokeAll(tasks)) {
            all.add(f.get());
        }
        assertEquals(List.of(4, 9, 16), all);
        List<PoolCallable<Integer>> race = List.of(() -> failOn(1, 1), () -> square(5));
        assertEquals(25, exec.invokeAny(race));
        Future<Integer> failing = exec.submit(() -> failOn(2, 2));
        ExecutionException e = assertThrows(ExecutionException.class, () -> failing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        ExecutorService plain = exec;
        Future<Integer> notSerializable = plain.submit(() -> 1);
        ExecutionException codec = assertThrows(ExecutionException.class, notSerializable::get);
        assertInstanceOf(CodecException.class, codec.getCause());
    }

    @Test
    @DisplayName("Future.cancel(true) on a running task kills its worker, which is replaced")
    void cancelRecyclesWorker() throws Exception {
        Queue<Long> pids = new Queue<>();
        Future<Integer> f = pool().asExecutorService().submit(() -> hangAt(pids, 1, 1));
        long victim = Objects.requireNonNull(pids.get(PATIENCE));
        assertTrue(f.cancel(true));
        assertTrue(f.isCancelled());
        assertThrows(CancellationException.class, f::get);
        awaitTrue("the cancelled task's worker ends", () -> !alive(victim));
        awaitTrue("a replacement worker", () -> pool().workerPids().size() == 2);
        assertNotEquals(victim, pool().apply(PoolKit::pid));
    }

    @Test
    @DisplayName("shutdown() refuses new tasks, runs submitted ones, and awaitTermination sees the end")
    void executorShutdown() throws Exception {
        ProcessExecutorService exec = ownPool().build().asExecutorService();
        Future<Integer> f = exec.submit(() -> slowSquare(4));
        exec.shutdown();
        assertTrue(exec.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> exec.submit(() -> square(1)));
        assertTrue(exec.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(exec.isTerminated());
        assertEquals(16, f.get());
    }

    @Test
    @DisplayName("shutdownNow() returns the tasks never started and cancels every unfinished future")
    void executorShutdownNow() throws Exception {
        ProcessExecutorService exec = ownPool().build().asExecutorService();
        Queue<Long> pids = new Queue<>();
        Future<Integer> running = exec.submit(() -> hangAt(pids, 1, 1));
        pids.get(PATIENCE);
        Future<Integer> queued = exec.submit(() -> square(3));
        List<Runnable> neverStarted = exec.shutdownNow();
        assertEquals(1, neverStarted.size());
        assertTrue(queued.isCancelled());
        assertThrows(CancellationException.class, running::get);
        assertTrue(exec.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }
}
