package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.QueueKit;

class HazelcastQueueTest extends QueueKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }

    /** A cluster queue grows (no capacity of its own), and each put is a call to a member. */
    @Override
    protected int unboundedProbeItems() {
        return 2_000;
    }
}
