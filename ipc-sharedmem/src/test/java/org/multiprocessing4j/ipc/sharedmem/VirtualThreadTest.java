package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Semaphore;

@DisplayName("virtual threads waiting on shared-memory primitives leave their carriers to the holder")
class VirtualThreadTest {
    private static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(60);
    private static final int THREADS = 4;

    /** Virtual threads that each hold the lock, then the permit, while they sleep: the waiters must not pin the one carrier. */
    static void contend(Lock lock, Semaphore gate) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int round = 0; round < 3; round++) {
                        try (var _ = lock.hold()) {
                            Thread.sleep(20); // unmounts the holder; the waiters need a carrier free for it
                        }
                        gate.acquire();
                        Thread.sleep(10); // the same with a permit
                        gate.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("all " + THREADS + " virtual threads done");
    }

    @Test
    @DisplayName("a Lock and a Semaphore contended by more virtual threads than carriers (one, here) do not deadlock")
    void moreWaitersThanCarriers() throws Exception {
        Context oneCarrier = Multiprocessing.getContext("sharedmem").toBuilder()
                .jvmOptions("-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1")
                .build();
        Lock lock = new Lock();
        Semaphore gate = new Semaphore(1);
        Process p = oneCarrier.process(() -> contend(lock, gate));
        p.start();
        try {
            assertTrue(p.join(PATIENCE), "the child's virtual threads deadlocked on the lock");
            assertEquals(0, p.exitCode());
        } finally {
            if (p.isAlive()) {
                p.kill();
                p.join(PATIENCE);
            }
        }
    }
}
