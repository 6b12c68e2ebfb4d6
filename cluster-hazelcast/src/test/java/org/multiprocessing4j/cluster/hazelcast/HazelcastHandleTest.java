package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.HandleKit;

class HazelcastHandleTest extends HandleKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
