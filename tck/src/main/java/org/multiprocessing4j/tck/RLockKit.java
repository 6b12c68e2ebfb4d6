package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.RLock;

/** {@link RLock} between processes. */
public abstract class RLockKit extends TransportKit {

    /** For a transport's test class, which supplies {@link #context()}. */
    protected RLockKit() {
    }

    static void holdTwiceReleaseSlowly(RLock lock) throws InterruptedException {
        lock.acquire();
        lock.acquire();
        lock.release();
        System.out.println("child released once");
        Thread.sleep(300);
        lock.release();
    }

    static void holdForever(RLock lock) throws InterruptedException {
        lock.acquire();
        System.out.println("child holds the lock");
        Thread.sleep(600_000);
    }

    static void releaseFromChild(RLock lock) {
        try {
            lock.release();
            System.out.println("child released");
        } catch (IllegalStateException e) {
            System.out.println("child refused: " + e.getMessage());
        }
    }

    static void ownAndHandOff() throws Exception {
        RLock lock = new RLock();
        lock.acquire();
        handOff("rlock", lock);
        Thread.sleep(600_000);
    }

    @Test
    @DisplayName("an RLock's nested acquisitions keep their hold's fencing token; the next hold gets a larger one")
    void fencingTokens() {
        RLock lock = new RLock();
        lock.acquire();
        long outer = lock.fencingToken();
        lock.acquire();
        assertEquals(outer, lock.fencingToken(), "a nested acquisition changed the token");
        lock.release();
        assertEquals(outer, lock.fencingToken());
        lock.release();
        assertThrows(IllegalStateException.class, lock::fencingToken);
        lock.acquire();
        assertTrue(lock.fencingToken() > outer);
        lock.release();
    }

    @Test
    @DisplayName("a child's reentrant hold blocks the parent until released as often as acquired")
    void reentrantAcrossProcesses() throws Exception {
        RLock lock = new RLock();
        Process p = start(() -> holdTwiceReleaseSlowly(lock));
        awaitOut("child released once");
        assertFalse(lock.acquire(false), "the parent got an RLock the child still holds once");
        assertTrue(lock.acquire(PATIENCE));
        assertTrue(lock.isHeldByCurrentThread());
        lock.release();
        assertTrue(p.join(PATIENCE));
        assertEquals(0, p.exitCode(), err());
    }

    @Test
    @DisplayName("only the holding thread releases an RLock: another process, another thread and nobody are refused")
    void releaseByOthers() throws Exception {
        RLock lock = new RLock();
        lock.acquire();
        run(() -> releaseFromChild(lock));
        assertTrue(out().contains("child refused: cannot release an RLock held by another thread"), out());
        CompletableFuture<Boolean> otherThread = inBackground(() -> {
            assertFalse(lock.isHeldByCurrentThread());
            assertThrows(IllegalStateException.class, lock::release);
            return lock.acquire(false);
        });
        assertFalse(otherThread.get(PATIENCE.toSeconds(), TimeUnit.SECONDS), "another thread acquired a held RLock");
        assertTrue(lock.isHeldByCurrentThread());
        lock.release();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertTrue(e.getMessage().contains("release of an unlocked RLock"), e.getMessage());
    }

    @Test
    @DisplayName("acquire(timeout) gives up while a child holds; the child's death frees the RLock and the next acquirer is told")
    void holderDies() throws Exception {
        RLock lock = new RLock();
        Process p = start(() -> holdForever(lock));
        awaitOut("child holds the lock");
        assertFalse(lock.acquire(Duration.ofMillis(200)));
        p.kill();
        assertTrue(p.join(PATIENCE));
        assertTrue(lock.acquire(PATIENCE), "the dead holder's RLock was never released");
        assertTrue(lock.isHeldByCurrentThread());
        lock.release();
        assertTrue(err().contains("died holding it"), err());
    }

    @Test
    @DisplayName("an acquire blocked on an RLock whose owner process dies throws ProcessGoneException")
    void ownerDies() throws Exception {
        Process owner = start(RLockKit::ownAndHandOff);
        RLock lock = takeHandOff("rlock", RLock.class);
        killSoon(owner);
        assertThrows(ProcessGoneException.class, () -> lock.acquire(PATIENCE));
    }
}
