package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.PoolFunction;
import org.multiprocessing4j.tck.PoolKit;

class HazelcastPoolTest extends PoolKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }

    @Test
    @DisplayName("on a cluster without agents (workers on this machine) a large argument used again is not stored in the cluster: the workers are sent it")
    void nothingStoredWithoutAgents() throws Exception {
        ClusterNode node = ClusterNode.current();
        long before = node.liveRecords("data-");
        byte[] big = new byte[2 << 20];
        big[3] = 9;
        PoolFunction<byte[], Integer> f = a -> a[3] + a.length;
        try (Pool pool = Pool.builder().context(context()).processes(2).build()) {
            for (int i = 0; i < 4; i++) {
                assertEquals(9 + big.length, pool.apply(f, big));
            }
            assertEquals(before, node.liveRecords("data-"), "stored in the cluster, where no worker needs it");
        }
    }
}
