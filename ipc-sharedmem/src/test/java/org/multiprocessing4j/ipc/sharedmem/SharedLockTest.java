package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the shared-memory lock, between threads of one process")
class SharedLockTest {
    /** A thread per task: the common pool may have a single thread on a small machine. */
    private static final java.util.concurrent.Executor THREADS = task -> Thread.ofPlatform().daemon().start(task);

    private static <T> T copy(T o, Class<T> type) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return type.cast(in.readObject());
        }
    }

    /** {@return an acquire with that timeout, in a thread of its own} */
    private static CompletableFuture<Boolean> acquireAsync(SharedLock lock, long timeoutNanos) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return lock.acquire(timeoutNanos);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, THREADS);
    }

    @Test
    @DisplayName("a serialized copy is the same lock: equal, and held when the original is")
    void handleTravels() throws Exception {
        SharedLock lock = SharedLock.create(false);
        SharedLock other = copy(lock, SharedLock.class);
        assertEquals(lock, other);
        assertTrue(lock.acquire(0));
        assertTrue(other.isLocked());
        assertFalse(other.acquire(0));
        other.release();
        assertFalse(lock.isLocked());
    }

    @Test
    @DisplayName("a waiting acquire gives up in time, and is interrupted within a slice")
    void timeoutAndInterrupt() throws Exception {
        SharedLock lock = SharedLock.create(false);
        assertTrue(lock.acquire(0));
        assertFalse(acquireAsync(lock, 30_000_000L).get(30, TimeUnit.SECONDS));
        CompletableFuture<Boolean> blocked = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                blocked.complete(lock.acquire(-1));
            } catch (Throwable e) {
                blocked.completeExceptionally(e);
            }
        });
        Thread.sleep(100);
        waiter.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof InterruptedException, e.toString());
        assertTrue(lock.isLocked());
        lock.release();
    }

    @Test
    @DisplayName("a release wakes a thread asleep in acquire")
    void releaseWakes() throws Exception {
        SharedLock lock = SharedLock.create(false);
        assertTrue(lock.acquire(0));
        CompletableFuture<Boolean> waiter = acquireAsync(lock, -1);
        Thread.sleep(100);
        lock.release();
        assertTrue(waiter.get(30, TimeUnit.SECONDS));
        assertTrue(lock.isLocked());
        assertFalse(lock.isHeldByCurrentThread(), "the holder is the waiter's thread, not this one");
    }

    @Test
    @DisplayName("an RLock counts holds; releaseAll and reacquire restore them for a condition's wait")
    void reentrantHolds() throws Exception {
        SharedLock lock = SharedLock.create(true);
        assertTrue(lock.acquire(-1));
        assertTrue(lock.acquire(-1));
        assertTrue(lock.acquire(0));
        assertTrue(lock.isHeldByCurrentThread());
        assertFalse(CompletableFuture.supplyAsync(() -> {
            try {
                return lock.acquire(0);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }).get(30, TimeUnit.SECONDS));
        assertEquals(3, lock.releaseAll());
        assertFalse(lock.isLocked());
        lock.reacquire(3);
        lock.release();
        lock.release();
        assertTrue(lock.isHeldByCurrentThread());
        lock.release();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertEquals("release of an unlocked RLock", e.getMessage());
    }

    @Test
    @DisplayName("a waiter that announced itself and timed out does not take a release's wake-up from another waiter")
    void timedOutWaiterLosesNoWakeup() throws Exception {
        SharedLock lock = SharedLock.create(false);
        MemorySegment m = lock.memory();
        assertTrue(lock.acquire(0));
        CompletableFuture<Boolean> patient = acquireAsync(lock, -1);
        // Both asleep in futex (announced) before the impatient one gives up.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Words.getInt(m, LockDescriptor.WAITERS) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertFalse(acquireAsync(lock, 100_000_000L).get(30, TimeUnit.SECONDS));
        lock.release();
        assertTrue(patient.get(30, TimeUnit.SECONDS), "the waiter left asleep was never woken");
        lock.release();
        assertEquals(0, Words.getInt(m, LockDescriptor.WAITERS), "an announcement was not taken back");
    }

    @Test
    @DisplayName("threads that take and release the lock in tight loops never overlap (the spinning path)")
    void spinningMutualExclusion() throws Exception {
        SharedLock lock = SharedLock.create(false);
        int[] inside = new int[1];
        long[] count = new long[1];
        Runnable loop = () -> {
            for (int i = 0; i < 20_000; i++) {
                try {
                    assertTrue(lock.acquire(-1));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                if (++inside[0] != 1) {
                    throw new AssertionError("two holders at once");
                }
                count[0]++;
                inside[0]--;
                lock.release();
            }
        };
        CompletableFuture<Void> one = CompletableFuture.runAsync(loop, THREADS);
        CompletableFuture<Void> two = CompletableFuture.runAsync(loop, THREADS);
        one.get(60, TimeUnit.SECONDS);
        two.get(60, TimeUnit.SECONDS);
        assertEquals(40_000, count[0]);
        assertFalse(lock.isLocked());
    }
}
