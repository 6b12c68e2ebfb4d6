package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.tck.LockKit;

class HazelcastLockTest extends LockKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }

    @Test
    @DisplayName("threads waiting for a cluster lock get it in the order they began to wait; one that timed out left the line")
    void waitersInArrivalOrder() throws Exception {
        ClusterNode node = ClusterNode.current();
        Set<String> before = new HashSet<>(node.records("lock-").keySet());
        Lock lock = new Lock();
        Set<String> made = new HashSet<>(node.records("lock-").keySet());
        made.removeAll(before);
        assertEquals(1, made.size(), "cannot tell the lock's record: " + made);
        String key = made.iterator().next();
        lock.acquire();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        assertFalse(lock.acquire(java.time.Duration.ofMillis(1500)), "a timed acquire got a held lock");
        assertTrue(node.records(key).get(key).waiting.isEmpty(), "the timed-out waiter is still in line");
        for (int i = 0; i < 3; i++) {
            int n = i;
            waiters.add(Thread.ofPlatform().start(() -> {
                lock.acquire();
                order.add(n);
                lock.release();
            }));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (node.records(key).get(key).waiting.size() < i + 1) {
                assertTrue(System.nanoTime() < deadline, "waiter " + i + " never joined the line");
                Thread.sleep(20);
            }
        }
        lock.release();
        for (Thread t : waiters) {
            t.join(60_000);
        }
        assertEquals(List.of(0, 1, 2), order);
        assertTrue(node.records(key).get(key).waiting.isEmpty());
    }
}
