package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.JoinableQueueKit;

class HazelcastJoinableQueueTest extends JoinableQueueKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
