package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.PoolKit;

class HazelcastPoolTest extends PoolKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
