package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Small tasks under a backlog travel several to a message; long ones, and the first ones, alone. */
class PoolBatchTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static int square(int x) {
        return x * x;
    }

    static int slowSquare(int x) throws InterruptedException {
        Thread.sleep(20);
        return x * x;
    }

    private static List<Integer> applyAll(Pool pool, PoolFunction<Integer, Integer> f, int n) throws Exception {
        List<AsyncResult<Integer>> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(pool.applyAsync(f, i));
        }
        List<Integer> values = new ArrayList<>(n);
        for (AsyncResult<Integer> r : results) {
            values.add(r.get(PATIENCE));
        }
        return values;
    }

    private static List<Integer> squares(int n) {
        return IntStream.range(0, n).map(x -> x * x).boxed().toList();
    }

    @Test
    @DisplayName("a backlog of short tasks goes out several to a message, and every result is in its place")
    void shortTasksAreBatched() throws Exception {
        try (Pool pool = Pool.builder().processes(1).build()) {
            assertEquals(squares(2000), applyAll(pool, PoolBatchTest::square, 2000));
            assertTrue(pool.largestMessage() > 1, "largest message: " + pool.largestMessage());
        }
    }

    static String awaitRelease(Event release) throws InterruptedException {
        release.await();
        return "released";
    }

    @Test
    @DisplayName("a long task sent in one message with short ones gives them back: they run on the free worker, not after it")
    void longTaskInAMessageGivesTheRestBack() throws Exception {
        Event release = new Event();
        Pool pool = Pool.builder().processes(2).build();
        try {
            assertEquals(squares(500), applyAll(pool, PoolBatchTest::square, 500)); // tasks are known to be short
            for (int round = 0; round < 3; round++) {
                List<AsyncResult<Integer>> before = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    before.add(pool.applyAsync(PoolBatchTest::square, i));
                }
                AsyncResult<String> longTask = pool.applyAsync(() -> awaitRelease(release));
                List<AsyncResult<Integer>> after = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    after.add(pool.applyAsync(PoolBatchTest::square, i));
                }
                for (int i = 0; i < after.size(); i++) {
                    assertEquals(i * i, after.get(i).get(PATIENCE), "short task " + i + " after the long one");
                }
                for (int i = 0; i < before.size(); i++) {
                    assertEquals(i * i, before.get(i).get(PATIENCE));
                }
                assertFalse(longTask.ready());
                release.set();
                assertEquals("released", longTask.get(PATIENCE));
                release.clear();
            }
            assertTrue(pool.largestMessage() > 1, "no message held several tasks: " + pool.largestMessage());
        } finally {
            release.set();
            pool.terminate();
            pool.join();
        }
    }

    @Test
    @DisplayName("waits given as ChronoUnit.FOREVER wait, and do not fail with an overflow")
    void foreverIsALongWait() throws Exception {
        Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();
        Pool pool = Pool.builder().processes(1).build();
        try {
            assertEquals(4, pool.applyAsync(PoolBatchTest::square, 2).get(forever));
            assertTrue(pool.applyAsync(PoolBatchTest::square, 3).waitFor(forever));
            var imap = pool.imap(PoolBatchTest::square, List.of(5), 1);
            assertEquals(25, imap.next(forever));
            ProcessExecutorService exec = pool.asExecutorService();
            assertEquals("any", exec.invokeAny(List.<java.util.concurrent.Callable<String>>of((PoolCallable<String>) () -> "any"),
                    Long.MAX_VALUE, java.util.concurrent.TimeUnit.DAYS));
            exec.shutdown();
            assertTrue(exec.awaitTermination(Long.MAX_VALUE, java.util.concurrent.TimeUnit.DAYS));
        } finally {
            pool.terminate();
            pool.join();
        }
    }

    @Test
    @DisplayName("tasks that each run for longer than a message should take go out one to a message")
    void longTasksAreNot() throws Exception {
        try (Pool pool = Pool.builder().processes(1).build()) {
            // 20 ms a task, 5 ms a message: one each, however long the line
            assertEquals(squares(60), applyAll(pool, PoolBatchTest::slowSquare, 60));
            assertEquals(1, pool.largestMessage());
        }
    }

    static int length(byte[] b) {
        return b.length;
    }

    static String sleepThen(long millis, String value) throws InterruptedException {
        Thread.sleep(millis);
        return value;
    }

    static String record(Queue<String> ran, String value) throws InterruptedException {
        ran.put(value);
        return value;
    }

    @Test
    @DisplayName("a task cancelled in a worker's inbox still runs there in its place: the next task's clock starts after it, not under it")
    void cancelledInboxTaskKeepsItsPlace() throws Exception {
        Pool pool = Pool.builder().processes(1).taskTimeout(Duration.ofMillis(1500)).build();
        try {
            ProcessExecutorService exec = pool.asExecutorService();
            var a = exec.submit(() -> sleepThen(300, "A"));
            var b = exec.submit(() -> sleepThen(2500, "B")); // waits in the inbox behind A
            assertTrue(b.cancel(true));
            var c = exec.submit(() -> sleepThen(0, "C"));
            assertEquals("A", a.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            // B overruns the limit while it runs, cancelled: its worker is killed, and C, which
            // never started, runs on the next one instead of failing for B's time
            assertEquals("C", c.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            pool.terminate(); // not close(): a pool that lost track of a task would never end
            pool.join();
        }
    }

    @Test
    @DisplayName("a task cancelled in a worker's inbox never runs on another worker when that one dies; a second cancel does nothing")
    void cancelledInboxTaskNeverRunsElsewhere() throws Exception {
        Queue<String> ran = new Queue<>();
        Pool pool = Pool.builder().processes(1).build();
        try {
            ProcessExecutorService exec = pool.asExecutorService();
            var a = exec.submit(() -> {
                ran.put("A started");
                Thread.sleep(600_000);
                return "A";
            });
            assertEquals("A started", ran.get(PATIENCE));
            var b = exec.submit(() -> record(ran, "B"));
            assertTrue(b.cancel(false));
            assertFalse(b.cancel(true), "a second cancel said it cancelled");
            assertTrue(a.cancel(true)); // kills A's worker
            assertEquals("D", exec.submit(() -> record(ran, "D")).get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("D", ran.get(PATIENCE), "the cancelled task ran on the replacement worker");
        } finally {
            pool.terminate();
            pool.join();
        }
    }

    static String awaitThen(Queue<String> started, Event go, String value) throws InterruptedException {
        started.put(value + " started");
        go.await();
        return value;
    }

    static String exitNow() {
        System.exit(3);
        return "never";
    }

    @Test
    @DisplayName("a cancelled task that kills its worker, in a message with others, fails none of them: they run on the next worker")
    void cancelledTaskThatKillsItsWorkerBlamesNoOther() throws Exception {
        Queue<String> started = new Queue<>();
        Event go = new Event();
        // the worker keeps its message whole, however long first runs: killer runs in its place
        Context keepsMessages = Multiprocessing.getContext().toBuilder()
                .jvmOptions("-D" + org.multiprocessing4j.internal.pool.WorkerLoop.GIVE_BACK_PROPERTY + "=0").build();
        Pool pool = Pool.builder().context(keepsMessages).processes(1).build();
        try {
            assertEquals(squares(200), pool.map(PoolBatchTest::square, IntStream.range(0, 200).boxed().toList(), 1));
            ProcessExecutorService exec = pool.asExecutorService();
            var stuck = exec.submit(() -> sleepThen(600_000, "stuck"));
            var first = exec.submit(() -> awaitThen(started, go, "first")); // waits in the inbox
            var killer = exec.submit(PoolBatchTest::exitNow);
            List<java.util.concurrent.Future<String>> rest = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String name = "rest " + i;
                rest.add(exec.submit(() -> sleepThen(0, name)));
            }
            // Killing the stuck task's worker puts the others back in line: the next worker
            // gets first, killer and a few more in one message (the tasks are known to be short).
            assertTrue(stuck.cancel(true));
            assertEquals("first started", started.get(PATIENCE));
            assertTrue(pool.largestMessage() > 1, "no message held several tasks: " + pool.largestMessage());
            assertTrue(killer.cancel(false)); // taken with first: it runs, its answer is dropped
            go.set();
            assertEquals("first", first.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            for (int i = 0; i < rest.size(); i++) {
                assertEquals("rest " + i, rest.get(i).get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.terminate();
            pool.join();
            started.release();
        }
    }

    @Test
    @DisplayName("invokeAll that cannot submit every task cancels those it did; invokeAny whose tasks all end cancelled throws ExecutionException")
    void invokeEdges() throws Exception {
        Queue<String> ran = new Queue<>();
        Pool pool = Pool.builder().processes(1).build();
        try {
            ProcessExecutorService exec = pool.asExecutorService();
            PoolCallable<String> late = () -> sleepThen(1000, "late");
            java.util.List<java.util.concurrent.Callable<String>> withNull = new java.util.ArrayList<>();
            withNull.add((PoolCallable<String>) () -> record(ran, sleepThen(500, "first")));
            withNull.add(null);
            assertThrows(NullPointerException.class, () -> exec.invokeAll(withNull));
            var throwsCancellation = exec.submit(() -> {
                throw new java.util.concurrent.CancellationException("the task's own");
            });
            var failed = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> throwsCancellation.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof java.util.concurrent.CancellationException, String.valueOf(failed.getCause()));
            assertFalse(throwsCancellation.isCancelled(), "a task that threw CancellationException reads as cancelled");
            assertThrows(Queue.Empty.class, () -> ran.get(Duration.ofSeconds(2)), "a task of the failed invokeAll ran on");
            var any = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return exec.invokeAny(List.of(late, late));
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            Thread.sleep(300);
            exec.shutdownNow();
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> any.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            // what invokeAny threw, unwrapped by the CompletableFuture: ExecutionException, not CancellationException
            assertTrue(e.getCause() instanceof java.util.concurrent.ExecutionException, String.valueOf(e.getCause()));
        } finally {
            pool.terminate();
            pool.join();
        }
    }

    /** An exception that cannot describe itself: its getMessage throws, and so does its serialization. */
    static final class Unprintable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Object unsendable = new Object();

        @Override
        public String getMessage() {
            throw new IllegalStateException("getMessage exploded");
        }

        private void writeObject(java.io.ObjectOutputStream out) {
            throw new AssertionError("writeObject of Unprintable " + unsendable);
        }
    }

    static int throwUnprintable(int x) {
        Unprintable e = new Unprintable();
        e.addSuppressed(new IllegalStateException("closing failed too"));
        throw e;
    }

    @Test
    @DisplayName("a task's exception that throws from getMessage and from writeObject reaches the caller as a stand-in; the worker lives")
    void unprintableException() throws Exception {
        try (Pool pool = Pool.builder().processes(1).build()) {
            long worker = pool.apply(PoolBatchTest::pid, 0);
            for (int i = 0; i < 5; i++) {
                PoolTaskException e = assertThrows(PoolTaskException.class, () -> pool.apply(PoolBatchTest::throwUnprintable, 1));
                assertTrue(e.getCause() instanceof RemoteException, String.valueOf(e.getCause()));
                RemoteException r = (RemoteException) e.getCause();
                assertTrue(r.toString().contains(Unprintable.class.getName()), r.toString());
                assertTrue(r.toString().contains("getMessage() threw"), r.toString());
                assertEquals(1, r.getSuppressed().length, "the suppressed exception was dropped");
                assertTrue(r.getSuppressed()[0].toString().contains("IllegalStateException: closing failed too"),
                        r.getSuppressed()[0].toString());
            }
            assertEquals(worker, pool.apply(PoolBatchTest::pid, 0), "the worker died");
        }
    }

    static long pid(int ignored) {
        return ProcessHandle.current().pid();
    }

    @Test
    @DisplayName("a task too large for a frame fails alone, saying so; the worker takes the next task")
    void taskLargerThanAFrame() throws Exception {
        Context small = Multiprocessing.getContext().toBuilder().maxFrameSize(256 * 1024).build();
        try (Pool pool = Pool.builder().context(small).processes(1).build()) {
            AsyncResult<Integer> tooLarge = pool.applyAsync(PoolBatchTest::length, new byte[512 * 1024]);
            PoolTaskException e = assertThrows(PoolTaskException.class, () -> tooLarge.get(PATIENCE));
            assertTrue(e.getMessage().contains("cannot be sent to a worker"), e.getMessage());
            assertEquals(1000, pool.apply(PoolBatchTest::length, new byte[1000]));
        }
    }

    @Test
    @DisplayName("a pool whose context has larger frames than this process's takes a task that large (its queues follow its context)")
    void taskLargerThanThisProcessFrames() throws Exception {
        int thisProcess = Multiprocessing.getContext().maxFrameSize();
        Context large = Multiprocessing.getContext().toBuilder().maxFrameSize(thisProcess + (32 << 20)).build();
        try (Pool pool = Pool.builder().context(large).processes(1).build()) {
            int length = thisProcess + (8 << 20);
            assertEquals(length, pool.apply(PoolBatchTest::length, new byte[length]));
        }
    }

    /** Not serializable: an initializer that captures it cannot travel. */
    static final class Unsendable {
        int value;
    }

    @Test
    @DisplayName("an initializer that cannot be encoded fails build(), naming the initializer and what it captures; no worker starts")
    void unsendableInitializer() {
        Unsendable state = new Unsendable();
        CodecException e = assertThrows(CodecException.class,
                () -> Pool.builder().processes(1).initializer(() -> state.value++).build());
        assertTrue(e.getMessage().startsWith("the pool's initializer cannot be sent to its workers"), e.getMessage());
        assertTrue(e.getMessage().contains(Unsendable.class.getName()), e.getMessage());
        assertFalse(e.getMessage().contains("WorkerLauncher"), e.getMessage());
    }
}
