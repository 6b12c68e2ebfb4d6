package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.QueueKit;

class HazelcastQueueTest extends QueueKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
