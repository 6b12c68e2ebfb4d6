package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.ManagerKit;

class HazelcastManagerTest extends ManagerKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
