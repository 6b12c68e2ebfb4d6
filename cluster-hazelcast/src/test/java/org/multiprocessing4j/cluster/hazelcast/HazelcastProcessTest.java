package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.ProcessKit;

class HazelcastProcessTest extends ProcessKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
