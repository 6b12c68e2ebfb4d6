package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.BarrierKit;

class HazelcastBarrierTest extends BarrierKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
