package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.LockKit;

class HazelcastLockTest extends LockKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
