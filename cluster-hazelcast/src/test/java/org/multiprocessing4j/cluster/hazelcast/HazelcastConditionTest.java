package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.ConditionKit;

class HazelcastConditionTest extends ConditionKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
