package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.RLockKit;

class HazelcastRLockTest extends RLockKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
