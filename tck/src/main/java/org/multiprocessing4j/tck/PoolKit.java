package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serial;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
import org.multiprocessing4j.ImapIterator;
import org.multiprocessing4j.TaskTimeoutException;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.shm.SegmentNames;
import org.multiprocessing4j.BrokenPoolException;
import org.multiprocessing4j.CodecException;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.PoolCallable;
import org.multiprocessing4j.PoolFunction;
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

    static int exitAt(int x, int victim) {
        if (x == victim) {
            System.exit(7);
        }
        return x * x;
    }

    static int hangAt(int x, int victim) throws InterruptedException {
        if (x == victim) {
            Thread.sleep(600_000);
        }
        return x * x;
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

    /** {@return 0, 1, 2, ... up to {@code end} (exclusive), counting in {@code pulled} what was taken} */
    private static Iterator<Integer> counting(AtomicInteger pulled, int end) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return pulled.get() < end;
            }

            @Override
            public Integer next() {
                return pulled.getAndIncrement();
            }
        };
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
    @DisplayName("map's list: unmodifiable, indexed across chunks of ints and of other values, and it travels as a plain list")
    void mapResultList() throws Exception {
        List<Object> items = new ArrayList<>();
        for (int i = -4; i < 6; i++) {
            items.add(i % 3 == 0 ? "s" + i : Integer.valueOf(i * 1000));
        }
        // chunks of 4: [-4000, "s-3", -2000, -1000], ["s0", 1000, 2000, "s3"], [4000, 5000]: the last is all ints
        List<@Nullable Object> echoed = pool().map(PoolKit::echo, items, 4);
        assertEquals(items, echoed);
        assertEquals(items.hashCode(), echoed.hashCode());
        assertEquals(5000, echoed.get(9));
        assertThrows(IndexOutOfBoundsException.class, () -> echoed.get(10));
        assertThrows(IndexOutOfBoundsException.class, () -> echoed.get(-1));
        assertThrows(UnsupportedOperationException.class, () -> echoed.set(0, 1));
        assertThrows(UnsupportedOperationException.class, () -> echoed.add(1));
        List<Integer> squares = pool().map(PoolKit::square, range(0, 100), 7);
        assertEquals(squares(0, 100), squares);
        Object travelled = context().codec().decode(context().codec().encode(squares));
        assertInstanceOf(List.class, travelled);
        assertEquals(squares, travelled);
        assertEquals("[0, 1, 4]", pool().map(PoolKit::square, range(0, 3)).toString());
    }

    private static @Nullable Object echo(@Nullable Object value) {
        return value;
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
    @DisplayName("a short task handed to a busy worker as its next runs on a worker that becomes free")
    void noWaitBehindALongTask() throws Exception {
        Event release = new Event();
        AsyncResult<String> longTask = pool().applyAsync(() -> awaitEvent(release));
        try {
            // The first short one goes to the other worker, the next waits behind the long one:
            // each worker is given a second task before the line is empty.
            List<AsyncResult<Integer>> shorts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                shorts.add(pool().applyAsync(PoolKit::square, i));
            }
            for (int i = 0; i < shorts.size(); i++) {
                assertEquals(i * i, shorts.get(i).get(PATIENCE), "short task " + i);
            }
            assertFalse(longTask.ready());
        } finally {
            release.set();
        }
        assertEquals("released", longTask.get(PATIENCE));
        // The worker that ran the long task was not sent what the task taken back from it taught.
        assertEquals(squares(0, 40), pool().map(PoolKit::square, range(0, 40), 1));
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
    @DisplayName("imap and imapUnordered take a list with a chunk size, as Python's take any iterable")
    void imapOfIterableWithChunksize() throws Exception {
        List<Integer> ordered = new ArrayList<>();
        pool().imap(PoolKit::square, range(0, 10), 4).forEachRemaining(ordered::add);
        assertEquals(squares(0, 10), ordered);

        List<Integer> unordered = new ArrayList<>();
        pool().imapUnordered(PoolKit::square, range(0, 10), 4).forEachRemaining(unordered::add);
        assertEquals(new HashSet<>(squares(0, 10)), new HashSet<>(unordered));
        assertEquals(10, unordered.size());
    }

    @Test
    @DisplayName("imap pulls its source lazily: never more than its lookahead (Pool.imapLookahead) ahead of the consumer")
    void imapIsLazy() throws Exception {
        AtomicInteger pulled = new AtomicInteger();
        int items = 2000;
        Iterator<Integer> source = counting(pulled, items);
        Iterator<Integer> it = pool().imap(PoolKit::square, source);
        for (int i = 0; i < 3; i++) {
            assertEquals(i * i, it.next());
        }
        int lookahead = Pool.imapLookahead(pool().processes(), 1);
        assertTrue(3 + lookahead < items, "the test's source is no larger than the lookahead");
        assertTrue(pulled.get() <= 3 + lookahead, "pulled " + pulled.get() + " items for 3 results");
        Thread.sleep(200);
        assertTrue(pulled.get() <= 3 + lookahead, "pulled " + pulled.get() + " items for 3 results, later");
        int count = 3;
        while (it.hasNext()) {
            assertEquals(count * count, it.next());
            count++;
        }
        assertEquals(items, count);
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

    // ---- many small tasks: several go to a worker in one message ----------------------------

    /** Submits {@code n} tasks after a warm-up that lets the pool learn that they are short. */
    private static List<AsyncResult<Integer>> backlog(Pool pool, PoolFunction<Integer, Integer> task, int n)
            throws Exception {
        assertEquals(squares(0, 200), pool.map(PoolKit::square, range(0, 200), 1));
        List<AsyncResult<Integer>> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(pool.applyAsync(task, i));
        }
        return results;
    }

    @Test
    @DisplayName("a worker that dies among a backlog of small tasks fails exactly the task it ran; the others complete")
    void deathAmongSmallTasks() throws Exception {
        Pool pool = pool();
        List<AsyncResult<Integer>> results = backlog(pool, x -> exitAt(x, 1000), 2000);
        for (int i = 0; i < results.size(); i++) {
            if (i == 1000) {
                PoolTaskException e = assertThrows(PoolTaskException.class, () -> results.get(1000).get(PATIENCE));
                WorkerDiedException death = assertInstanceOf(WorkerDiedException.class, e.getCause());
                assertEquals(7, death.exitCode());
                assertTrue(e.getMessage().contains("exit code 7"), e.getMessage());
            } else {
                assertEquals(i * i, results.get(i).get(PATIENCE), "task " + i);
            }
        }
        assertFalse(pool.isBroken());
    }

    @Test
    @DisplayName("a task that overruns its limit among a backlog of small tasks fails alone; the others complete")
    void timeoutAmongSmallTasks() throws Exception {
        try (Pool pool = Pool.builder().context(context()).processes(2).taskTimeout(Duration.ofSeconds(1)).build()) {
            List<AsyncResult<Integer>> results = backlog(pool, x -> hangAt(x, 300), 600);
            for (int i = 0; i < results.size(); i++) {
                if (i == 300) {
                    PoolTaskException e = assertThrows(PoolTaskException.class, () -> results.get(300).get(PATIENCE));
                    assertInstanceOf(TaskTimeoutException.class, e.getCause());
                } else {
                    assertEquals(i * i, results.get(i).get(PATIENCE), "task " + i);
                }
            }
        }
    }

    @Test
    @DisplayName("maxTasksPerChild holds under a backlog of small tasks: no worker runs more")
    void maxTasksPerChildUnderABacklog() throws Exception {
        try (Pool pool = ownPool().maxTasksPerChild(40).build()) {
            assertEquals(squares(0, 20), pool.map(PoolKit::square, range(0, 20), 1));
            List<AsyncResult<Long>> results = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                results.add(pool.applyAsync(PoolKit::pid));
            }
            Map<Long, Integer> perWorker = new HashMap<>();
            for (AsyncResult<Long> r : results) {
                perWorker.merge(r.get(PATIENCE), 1, Integer::sum);
            }
            assertTrue(perWorker.size() >= 3, perWorker.toString());
            assertTrue(perWorker.values().stream().allMatch(n -> n <= 40), perWorker.toString());
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
    @DisplayName("try-with-resources close() waits for submitted tasks and an open imap's lookahead, then ends the workers")
    void closeWaitsForResults() throws Exception {
        Pool pool = ownPool().build();
        List<Long> workers = pool.workerPids();
        AsyncResult<Integer> r;
        Iterator<Integer> it;
        try (pool) {
            r = pool.applyAsync(PoolKit::slowSquare, 5);
            it = pool.imap(PoolKit::square, range(0, 2).iterator());
        }
        assertTrue(r.ready());
        assertEquals(25, r.get());
        List<Integer> rest = new ArrayList<>();
        it.forEachRemaining(rest::add);
        assertEquals(squares(0, 2), rest);
        for (long pid : workers) {
            assertFalse(alive(pid), "worker " + pid + " still runs");
        }
        assertThrows(IllegalStateException.class, () -> pool.apply(PoolKit::square, 1));
        pool.join();
        // As in Python, ending an ended pool again is harmless, whichever way.
        pool.terminate();
        assertEquals(List.of(), pool.asExecutorService().shutdownNow());
        pool.close();
        pool.join();
    }

    @Test
    @DisplayName("close() with an abandoned endless imap stops at its lookahead: the source is not drained")
    void closeCutsAnAbandonedImap() throws Exception {
        AtomicInteger pulled = new AtomicInteger();
        Iterator<Integer> endless = counting(pulled, Integer.MAX_VALUE);
        Pool pool = ownPool().build();
        Iterator<Integer> it;
        try (pool) {
            it = pool.imap(PoolKit::square, endless);
            assertEquals(0, it.next());
        }
        int lookahead = Pool.imapLookahead(pool.processes(), 1);
        assertTrue(pulled.get() <= 1 + lookahead, "pulled " + pulled.get() + " items of an abandoned imap");
        int yielded = 0;
        IllegalStateException cut = null;
        while (cut == null) {
            try {
                assertEquals((yielded + 1) * (yielded + 1), it.next());
                yielded++;
            } catch (IllegalStateException e) {
                cut = e;
            }
        }
        assertTrue(yielded <= lookahead, "yielded " + yielded + " results after close()");
        assertTrue(cut.getMessage().contains("closed"), cut.getMessage());
    }

    // ---- timeouts ------------------------------------------------------------------------------

    @Test
    @DisplayName("a task that overruns taskTimeout fails with a TaskTimeoutException naming it; its worker is replaced, no death counted")
    void taskTimeout() throws Exception {
        Duration limit = Duration.ofSeconds(2); // a fresh worker's first task may be slow on a busy machine
        try (Pool pool = ownPool().taskTimeout(limit).maxWorkerDeaths(1).build()) {
            long worker = pool.workerPids().getFirst();
            AsyncResult<Long> late = pool.applyAsync(PoolKit::sleepLong);
            PoolTaskException e = assertThrows(PoolTaskException.class, () -> late.get(PATIENCE));
            TaskTimeoutException timeout = assertInstanceOf(TaskTimeoutException.class, e.getCause());
            assertTrue(timeout.getMessage().contains("apply(PoolKit::sleepLong)"), timeout.getMessage());
            assertTrue(timeout.getMessage().contains(timeout.workerName()), timeout.getMessage());
            assertEquals(limit, timeout.limit());
            awaitTrue("the overrunning worker ends", () -> !alive(worker));
            Future<Long> f = pool.asExecutorService().submit(PoolKit::sleepLong);
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(TaskTimeoutException.class, failed.getCause());
            assertFalse(pool.isBroken(), "timeouts counted as deaths");
            assertEquals(9, pool.apply(PoolKit::square, 3));
            assertEquals(squares(0, 6), pool.map(PoolKit::square, range(0, 6), 3));
        }
    }

    @Test
    @DisplayName("imap's next(timeout) throws TimeoutException when the result is late; the iteration goes on")
    void imapNextWithTimeout() throws Exception {
        ImapIterator<Integer> it = pool().imap(PoolKit::slowSquare, range(0, 3).iterator());
        assertThrows(TimeoutException.class, () -> it.next(Duration.ofMillis(1)));
        assertEquals(0, it.next(PATIENCE));
        assertEquals(1, it.next(PATIENCE));
        assertEquals(4, it.next());
        assertThrows(NoSuchElementException.class, () -> it.next(PATIENCE));
        ImapIterator<Integer> unordered = pool().imapUnordered(PoolKit::slowSquare, range(0, 2).iterator());
        assertThrows(TimeoutException.class, () -> unordered.next(Duration.ZERO));
        Set<Integer> got = new HashSet<>(List.of(unordered.next(PATIENCE), unordered.next(PATIENCE)));
        assertEquals(Set.of(0, 1), got);
    }

    // ---- tasks without a result --------------------------------------------------------------------

    static void failVoid() throws java.io.IOException {
        throw new java.io.IOException("disk gone");
    }

    @Test
    @DisplayName("a task that returns nothing runs through apply, applyAsync, submit and execute; a lambda that returns a value still gives it")
    void runnableTasks() throws Exception {
        Queue<String> ran = new Queue<>();
        pool().apply(() -> ran.put("apply"));
        assertEquals("apply", ran.get(PATIENCE));
        AsyncResult<Void> async = pool().applyAsync(() -> ran.put("applyAsync"));
        assertEquals(null, async.get(PATIENCE));
        assertEquals("applyAsync", ran.get(PATIENCE));
        PoolTaskException e = assertThrows(PoolTaskException.class, () -> pool().apply(PoolKit::failVoid));
        assertInstanceOf(java.io.IOException.class, e.getCause());
        ProcessExecutorService exec = pool().asExecutorService();
        Future<?> submitted = exec.submit(() -> ran.put("submit"));
        assertEquals(null, submitted.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals("submit", ran.get(PATIENCE));
        exec.execute(() -> ran.put("execute"));
        assertEquals("execute", ran.get(PATIENCE));
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> exec.submit(PoolKit::failVoid).get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(java.io.IOException.class, failed.getCause());
        Future<Long> valued = exec.submit(PoolKit::pid);
        assertNotEquals(ProcessHandle.current().pid(), valued.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }

    // ---- resources -----------------------------------------------------------------------------------

    @Test
    @DisplayName("pools created and closed in a loop leave nothing behind in the owner's object table")
    void closedPoolsReleaseTheirQueues() throws Exception {
        try (Pool warm = ownPool().build()) {
            warm.apply(PoolKit::square, 1); // whatever a first pool sets up once is set up now
        }
        int before = ProcessRuntime.current().router().objectCount();
        long segmentsBefore = ownSegments();
        for (int i = 0; i < 6; i++) {
            Pool pool = ownPool().build();
            if (i % 2 == 0) {
                try (pool) {
                    assertEquals(i * i, pool.apply(PoolKit::square, i));
                }
            } else {
                pool.terminate();
                pool.join();
            }
        }
        assertEquals(before, ProcessRuntime.current().router().objectCount(), "objects left in the table");
        assertEquals(segmentsBefore, ownSegments(), "shared-memory segments left");
    }

    /** {@return how many shared-memory segments this process tree has now} */
    private static long ownSegments() throws java.io.IOException {
        ProcessRuntime rt = ProcessRuntime.current();
        try (var files = Files.list(rt.sharedMemory().directory())) {
            return files.filter(f -> rt.root().equals(SegmentNames.rootOfGenerated(f.getFileName().toString()))).count();
        }
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
    @DisplayName("a task cancelled while it waits in a worker's inbox is dropped; with maxTasksPerChild the pool goes on")
    void cancelWhileInTheInbox() throws Exception {
        Pool pool = ownPool().maxTasksPerChild(2).build();
        try {
            ProcessExecutorService exec = pool.asExecutorService();
            Future<Integer> running = exec.submit(() -> slowSquare(2));
            Future<Integer> waiting = exec.submit(() -> square(3)); // the worker's second chunk
            assertTrue(waiting.cancel(true));
            assertThrows(CancellationException.class, waiting::get);
            assertEquals(4, running.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertEquals(16, exec.submit(() -> square(4)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        } finally {
            pool.terminate(); // not close(): a stalled pool would never end
            pool.join();
        }
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
