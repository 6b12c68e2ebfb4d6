package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Barrier;
import org.multiprocessing4j.BrokenBarrierException;
import org.multiprocessing4j.Condition;
import org.multiprocessing4j.Process;

@DisplayName("crashes: a condition's lock holder and a barrier's party killed mid-operation")
class ConditionBarrierCrashTest extends ChildProcessTest {
    private static final long FLAG = 16;
    private static final long RESULT = 20;

    static void holdLockForever(Condition c, SharedBlock flag) throws InterruptedException {
        c.acquire();
        Words.setInt(flag.memory(), FLAG, 1);
        Thread.sleep(600_000);
    }

    static void awaitSignal(Condition c, SharedBlock flag) throws InterruptedException {
        try (var _ = c.hold()) {
            Words.addInt(flag.memory(), FLAG, 1);
            boolean signalled = c.await(PATIENCE);
            Words.setInt(flag.memory(), RESULT, signalled ? 1 : 2);
        }
    }

    static void arriveAndReport(Barrier b, SharedBlock flag) throws InterruptedException {
        Words.addInt(flag.memory(), FLAG, 1);
        try {
            b.await();
            Words.setInt(flag.memory(), RESULT, 1);
        } catch (BrokenBarrierException e) {
            Words.setInt(flag.memory(), RESULT, 2);
        }
    }

    @Test
    @DisplayName("a condition's waiter in another process is signalled after the lock's holder was killed holding it")
    void conditionLockHolderKilled() throws Exception {
        Condition c = new Condition();
        SharedBlock waiterFlag = SharedBlock.allocate(64);
        Process waiter = start(() -> awaitSignal(c, waiterFlag));
        awaitInt(waiterFlag, FLAG, 1);
        SharedBlock holderFlag = SharedBlock.allocate(64);
        Process holder = start(() -> holdLockForever(c, holderFlag));
        awaitInt(holderFlag, FLAG, 1);
        holder.kill();
        assertTrue(holder.join(PATIENCE));
        assertTrue(c.acquire(PATIENCE), "the dead holder's lock was never taken over");
        c.signalAll();
        c.release();
        assertTrue(waiter.join(PATIENCE), "the waiter hung");
        assertEquals(0, waiter.exitCode());
        assertEquals(1, Words.getInt(waiterFlag.memory(), RESULT), "the waiter was not signalled");
    }

    @Test
    @DisplayName("a barrier party killed while others of other processes wait untimed breaks it for them; reset makes it usable")
    void barrierPartyKilled() throws Exception {
        Barrier b = new Barrier(3);
        SharedBlock survivorFlag = SharedBlock.allocate(64);
        Process survivor = start(() -> arriveAndReport(b, survivorFlag));
        SharedBlock victimFlag = SharedBlock.allocate(64);
        Process victim = start(() -> arriveAndReport(b, victimFlag));
        awaitInt(survivorFlag, FLAG, 1);
        awaitInt(victimFlag, FLAG, 1);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (b.nWaiting() < 2) {
            assertTrue(System.nanoTime() < deadline, "the parties never waited");
            Thread.sleep(10);
        }
        victim.kill();
        assertTrue(victim.join(PATIENCE));
        assertTrue(survivor.join(PATIENCE), "the surviving party hung");
        assertEquals(2, Words.getInt(survivorFlag.memory(), RESULT), "the surviving party was not told the barrier broke");
        assertTrue(b.isBroken());
        b.reset();
        assertFalse(b.isBroken());
        Barrier two = b;
        SharedBlock flag = SharedBlock.allocate(64);
        Process p1 = start(() -> arriveAndReport(two, flag));
        Process p2 = start(() -> arriveAndReport(two, flag));
        b.await(PATIENCE);
        assertTrue(p1.join(PATIENCE) && p2.join(PATIENCE));
        assertEquals(1, Words.getInt(flag.memory(), RESULT), "the round after the reset was not released");
    }
}
