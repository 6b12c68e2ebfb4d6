package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.EventKit;

class HazelcastEventTest extends EventKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
