package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.BoundedSemaphore;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Semaphore;

@DisplayName("crashes: a holder killed while others wait in several processes")
class CrashTest extends ChildProcessTest {
    private static final int THREADS = 3;
    private static final int ROUNDS = 300;

    static void holdForever(Lock lock, SharedBlock counters) throws InterruptedException {
        lock.lock();
        Words.setInt(counters.memory(), Workloads.INSIDE, (int) ProcessHandle.current().pid());
        Words.setInt(counters.memory(), 16, 1);
        Thread.sleep(600_000);
    }

    static void takeForever(Semaphore s, SharedBlock flag) throws InterruptedException {
        s.acquire();
        s.acquire();
        Words.setInt(flag.memory(), 16, 1);
        Thread.sleep(600_000);
    }

    private static void awaitFlag(SharedBlock b) throws InterruptedException {
        awaitInt(b, 16, 1);
    }

    @Test
    @DisplayName("the lock passes to exactly one waiter, mutual exclusion holds on, and every waiter finishes")
    void lockHolderKilled() throws Exception {
        Lock lock = new Lock();
        SharedBlock counters = SharedBlock.allocate(64);
        Process holder = start(() -> holdForever(lock, counters));
        awaitFlag(counters);
        int dead = (int) (long) holder.pid();
        List<Process> waiters = List.of(
                start(() -> waitThenLoop(lock, counters, dead)),
                start(() -> waitThenLoop(lock, counters, dead)));
        Thread.sleep(300);
        holder.kill();
        assertTrue(holder.join(PATIENCE));
        for (Process w : waiters) {
            assertTrue(w.join(PATIENCE), w.name() + " hung after the holder died");
            assertEquals(0, w.exitCode());
        }
        MemorySegment c = counters.memory();
        assertEquals(0, Words.getInt(c, Workloads.VIOLATIONS), "two holders at once after the death");
        assertEquals(2 * THREADS * ROUNDS, Words.getInt(c, Workloads.COUNTER));
        assertEquals(1, Words.getInt(c, 20), "the dead holder's lock was taken over other than once");
        assertTrue(lock.tryLock(), "the lock stayed held");
        lock.unlock();
    }

    static void waitThenLoop(Lock lock, SharedBlock counters, int dead) throws InterruptedException {
        MemorySegment c = counters.memory();
        Workloads.onThreads(THREADS, () -> {
            for (int i = 0; i < ROUNDS; i++) {
                try (var _ = lock.hold()) {
                    if (Words.getInt(c, Workloads.INSIDE) == dead) {
                        Words.addInt(c, 20, 1);
                    }
                    Workloads.critical(c, dead);
                }
            }
        });
    }

    @Test
    @DisplayName("a bounded semaphore's permits held by a killed process come back to waiters in other processes")
    void semaphoreHolderKilled() throws Exception {
        Semaphore s = new BoundedSemaphore(2);
        SharedBlock flag = SharedBlock.allocate(64);
        Process holder = start(() -> takeForever(s, flag));
        awaitFlag(flag);
        Process waiter = start(() -> Workloads.semaphoreLoop(s, 2, flag, THREADS, ROUNDS));
        Thread.sleep(300);
        holder.kill();
        assertTrue(holder.join(PATIENCE));
        assertTrue(waiter.join(PATIENCE), "the waiter hung after the holder died");
        assertEquals(0, waiter.exitCode());
        assertEquals(0, Words.getInt(flag.memory(), Workloads.VIOLATIONS));
        assertEquals(2, s.getValue());
    }
}
