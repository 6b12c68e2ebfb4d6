package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.SemaphoreKit;

class HazelcastSemaphoreTest extends SemaphoreKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
