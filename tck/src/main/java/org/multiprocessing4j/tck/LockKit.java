package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Process;

/** {@link Lock} between processes. */
public abstract class LockKit extends TransportKit {

    /** For a transport's test class, which supplies {@link #context()}. */
    protected LockKit() {
    }

    static void holdAndReport(Lock lock, long millis) throws InterruptedException {
        lock.lock();
        System.out.println("child holds the lock");
        Thread.sleep(millis);
        lock.unlock();
    }

    static void holdForever(Lock lock) throws InterruptedException {
        lock.lock();
        System.out.println("child holds the lock");
        Thread.sleep(600_000);
    }

    static void tryFromChild(Lock lock) {
        System.out.println("child tryLock=" + lock.tryLock());
    }

    static void tokenFromChild(Lock lock) {
        lock.lock();
        try {
            System.out.println("child token=" + lock.fencingToken() + ";");
        } finally {
            lock.unlock();
        }
    }

    private static long childToken(String out) {
        int at = out.indexOf("child token=");
        assertTrue(at >= 0, out);
        return Long.parseLong(out.substring(at + "child token=".length(), out.indexOf(';', at)));
    }

    @Test
    @DisplayName("a child's hold blocks the parent until the child releases")
    void mutualExclusion() throws Exception {
        Lock lock = new Lock();
        Process p = start(() -> holdAndReport(lock, 500));
        awaitOut("child holds the lock");
        assertFalse(lock.tryLock(), "the parent got a lock the child holds");
        assertTrue(lock.acquire(PATIENCE));
        lock.release();
        assertTrue(p.join(PATIENCE));
    }

    @Test
    @DisplayName("acquire(timeout) gives up with false while another process holds the lock")
    void timeout() throws Exception {
        Lock lock = new Lock();
        start(() -> holdForever(lock));
        awaitOut("child holds the lock");
        assertFalse(lock.acquire(Duration.ofMillis(200)));
        assertFalse(lock.acquire(false));
    }

    @Test
    @DisplayName("a lock held by the parent is seen as held by a child")
    void childSeesParentHold() throws Exception {
        Lock lock = new Lock();
        lock.lock();
        try {
            run(() -> tryFromChild(lock));
            assertTrue(out().contains("child tryLock=false"), out());
        } finally {
            lock.unlock();
        }
        run(() -> tryFromChild(lock));
        assertTrue(out().contains("child tryLock=true"), out());
    }

    @Test
    @DisplayName("releasing a free lock is an error that says so")
    void releaseUnlocked() {
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertTrue(e.getMessage().contains("release of an unlocked Lock"), e.getMessage());
    }

    @Test
    @DisplayName("a process that dies holding the lock releases it, the next acquirer is told and gets a newer fencing token")
    void holderDies() throws Exception {
        Lock lock = new Lock();
        Process p = start(() -> holdForever(lock));
        awaitOut("child holds the lock");
        p.kill();
        assertTrue(p.join(PATIENCE));
        assertTrue(lock.acquire(PATIENCE), "the dead holder's lock was never released");
        assertTrue(lock.fencingToken() >= 2, "the hold taken from a dead holder kept its token: " + lock.fencingToken());
        lock.release();
        assertTrue(err().contains("died holding it"), err());
    }

    @Test
    @DisplayName("fencing tokens grow with every hold, the parent's and a child's; asking without a hold is an error")
    void fencingTokens() throws Exception {
        Lock lock = new Lock();
        IllegalStateException free = assertThrows(IllegalStateException.class, lock::fencingToken);
        assertTrue(free.getMessage().contains("does not hold the Lock"), free.getMessage());
        lock.lock();
        long first = lock.fencingToken();
        assertTrue(first >= 1, "tokens start at 1: " + first);
        assertEquals(first, lock.fencingToken(), "one hold, one token");
        IllegalStateException otherThread = inBackground(() -> assertThrows(IllegalStateException.class,
                lock::fencingToken)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertTrue(otherThread.getMessage().contains("does not hold the Lock"), otherThread.getMessage());
        lock.unlock();
        run(() -> tokenFromChild(lock));
        long child = childToken(out());
        assertTrue(child > first, "the child's hold " + child + " after the parent's " + first);
        try (var _ = lock.hold()) {
            assertTrue(lock.fencingToken() > child, "the parent's second hold after the child's " + child);
        }
    }

    @Test
    @DisplayName("try-with-resources holds and releases, like Python's with lock:")
    void withStatement() {
        Lock lock = new Lock();
        try (var _ = lock.hold()) {
            assertTrue(lock.isLocked());
        }
        assertFalse(lock.isLocked());
        assertEquals(lock, lock);
    }
}
