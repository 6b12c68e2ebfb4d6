package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A pool worker that hangs in its start. Here, not in the TCK's PoolKit: the start deadline is
 * core's (the pool's launcher and the child's handle), the same on every transport, and the
 * test waits out a whole deadline.
 */
@Execution(ExecutionMode.CONCURRENT) // mostly waiting for a hung child: it runs beside the other classes
class PoolStartDeadlineTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Longer than a cold JVM start on a busy machine (8 s was not, with load 17 on 2 cores). */
    private static final Duration START_DEADLINE = Duration.ofSeconds(20);

    static int square(int x) {
        return x * x;
    }

    static int exitWith(int code) {
        System.exit(code);
        return code;
    }

    /** A pool target whose decoding, in a worker, hangs once: when the file the property names exists. */
    static final class HangsOnceWhenDecoded implements ProcessTarget {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
        }

        @Serial
        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            String marker = System.getProperty("pool.test.hangOnce");
            if (marker != null && Files.deleteIfExists(Path.of(marker))) {
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    @DisplayName("a worker that hangs before it reports Started is killed at the start deadline, counted as a death, and replaced")
    void hungStart() throws Exception {
        Path marker = Files.createTempFile("pool-test-hang", ".marker");
        Files.delete(marker);
        Context base = Multiprocessing.getContext();
        List<String> options = new ArrayList<>(base.jvmOptions());
        options.add("-Dpool.test.hangOnce=" + marker);
        Context hanging = base.toBuilder().jvmOptions(options).build();
        try (Pool pool = Pool.builder().context(hanging).processes(1).maxTasksPerChild(1)
                .initializer(new HangsOnceWhenDecoded()).startTimeout(START_DEADLINE).maxWorkerDeaths(2).build()) {
            assertEquals(4, pool.apply(PoolStartDeadlineTest::square, 2)); // its worker retires after it
            Files.createFile(marker); // the next worker hangs in its start
            AsyncResult<Integer> exit = pool.applyAsync(() -> exitWith(3));
            PoolTaskException e = assertThrows(PoolTaskException.class, () -> exit.get(PATIENCE.plus(START_DEADLINE)));
            // the task ran, so the hung worker was replaced; the replacement's exit was the
            // second death in a row, so the hung start counted as the first
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertTrue(died.getMessage().contains("exit code 3"), died.getMessage());
            assertTrue(pool.isBroken(), "the hung start was not counted as a death");
            assertFalse(Files.exists(marker), "no worker hung");
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    @Test
    @DisplayName("close() of a pool whose idle worker hangs in its initializer returns: told to stop, it is killed after a grace, and no death counts")
    void closeWithHangingInitializer() throws Exception {
        Pool pool = Pool.builder().processes(1).initializer(() -> Thread.sleep(600_000)).build();
        List<Long> workers = awaitWorkers(pool);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(PATIENCE, pool::close,
                "close() waited for a worker that never leaves its initializer");
        assertFalse(pool.isBroken());
        for (long pid : workers) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " still runs");
        }
    }

    private static List<Long> awaitWorkers(Pool pool) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (pool.workerPids().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return pool.workerPids();
    }
}
