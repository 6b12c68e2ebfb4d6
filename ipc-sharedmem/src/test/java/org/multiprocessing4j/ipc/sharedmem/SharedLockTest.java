package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the shared-memory lock, between threads of one process")
class SharedLockTest {

    private static <T> T copy(T o, Class<T> type) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return type.cast(in.readObject());
        }
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
        assertFalse(CompletableFuture.supplyAsync(() -> {
            try {
                return lock.acquire(30_000_000L);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }).get(30, TimeUnit.SECONDS));
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
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return lock.acquire(-1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
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
}
