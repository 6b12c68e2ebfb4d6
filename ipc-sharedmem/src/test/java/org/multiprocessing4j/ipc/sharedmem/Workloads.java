package org.multiprocessing4j.ipc.sharedmem;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.RLock;
import org.multiprocessing4j.Semaphore;

/**
 * What the stress tests run in each process, on several threads: critical sections that check
 * their invariants in a shared block of test counters, and record any breach there.
 *
 * <pre>
 *   0        4            8        12          16       64
 *   +--------+------------+--------+-----------+--- ... -+
 *   | inside | violations | counter| max inside| (free)  |
 *   +--------+------------+--------+-----------+--- ... -+
 * </pre>
 * {@code inside} holds the pid of the process in the critical section (for locks) or the
 * number of permit holders inside (for semaphores). {@code counter} is incremented with a plain
 * read and write, so that any overlap of two critical sections loses an increment.
 */
final class Workloads {
    static final long INSIDE = 0;
    static final long VIOLATIONS = 4;
    static final long COUNTER = 8;
    static final long MAX_INSIDE = 12;

    private Workloads() {
    }

    /** Runs {@code body} on {@code threads} threads and waits for them all. */
    static void onThreads(int threads, ThrowingRunnable body) throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    body.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " worker thread(s) failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** A body that may throw. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** One critical section's check: nobody else inside, then a racy increment. */
    static void critical(MemorySegment c, int allowedPredecessor) {
        int me = (int) ProcessHandle.current().pid();
        int before = Words.swapInt(c, INSIDE, me);
        if (before != 0 && before != allowedPredecessor) {
            Words.addInt(c, VIOLATIONS, 1);
        }
        int n = c.get(java.lang.foreign.ValueLayout.JAVA_INT, COUNTER);
        Thread.onSpinWait();
        c.set(java.lang.foreign.ValueLayout.JAVA_INT, COUNTER, n + 1);
        if (Words.swapInt(c, INSIDE, 0) != me) {
            Words.addInt(c, VIOLATIONS, 1);
        }
    }

    static void lockLoop(Lock lock, SharedBlock counters, int threads, int rounds) throws InterruptedException {
        MemorySegment c = counters.memory();
        onThreads(threads, () -> {
            for (int i = 0; i < rounds; i++) {
                try (var _ = lock.hold()) {
                    critical(c, 0);
                }
            }
        });
    }

    static void rlockLoop(RLock lock, SharedBlock counters, int threads, int rounds) throws InterruptedException {
        MemorySegment c = counters.memory();
        onThreads(threads, () -> {
            for (int i = 0; i < rounds; i++) {
                lock.acquire();
                try (var _ = lock.hold()) {
                    critical(c, 0);
                } finally {
                    lock.release();
                }
            }
        });
    }

    static void semaphoreLoop(Semaphore s, int permits, SharedBlock counters, int threads, int rounds)
            throws InterruptedException {
        MemorySegment c = counters.memory();
        onThreads(threads, () -> {
            for (int i = 0; i < rounds; i++) {
                try (var _ = s.hold()) {
                    int inside = Words.addInt(c, INSIDE, 1) + 1;
                    if (inside > permits) {
                        Words.addInt(c, VIOLATIONS, 1);
                    }
                    int max = Words.getInt(c, MAX_INSIDE);
                    while (inside > max && !Words.casInt(c, MAX_INSIDE, max, inside)) {
                        max = Words.getInt(c, MAX_INSIDE);
                    }
                    Thread.onSpinWait();
                    Words.addInt(c, INSIDE, -1);
                }
            }
        });
    }
}
