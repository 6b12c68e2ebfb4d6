package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Barrier;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.BarrierKit;

class HazelcastBarrierTest extends BarrierKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }

    @Test
    @DisplayName("the kit's barriers are records in the cluster, not core's broker fallback")
    void barriersAreTheClusters() {
        String made = new Barrier(2).toString();
        assertTrue(made.contains("ClusterBarrier[key=barrier-"), made);
    }
}
