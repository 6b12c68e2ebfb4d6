package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.AsyncResult;
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
    @DisplayName("a large argument used again is stored in the cluster once (as data records), fetched from there by each worker, and released when the pool ends")
    void largeArgumentStoredInTheCluster() throws Exception {
        ClusterNode node = ClusterNode.current();
        long before = node.liveRecords("data-");
        byte[] big = new byte[1 << 20];
        big[3] = 9;
        PoolFunction<byte[], Integer> f = a -> a[3] + a.length;
        Pool pool = Pool.builder().context(context()).processes(2).build();
        try {
            assertEquals(9 + big.length, pool.apply(f, big)); // first sight: in line
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.applyAsync(f, big));
            }
            for (AsyncResult<Integer> r : results) {
                assertEquals(9 + big.length, r.get());
            }
            long chunks = (big.length + 100 + DataChunk.MAX_BYTES - 1) / DataChunk.MAX_BYTES; // its encoding is a little longer
            assertEquals(chunks, node.liveRecords("data-") - before, "stored once, as records of 16 KiB");
        } finally {
            pool.close();
            pool.join();
        }
        assertEquals(before, node.liveRecords("data-"), "released when the pool ended");
    }
}
