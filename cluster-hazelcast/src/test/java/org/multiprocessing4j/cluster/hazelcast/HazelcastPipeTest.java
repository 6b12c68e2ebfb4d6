package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.PipeKit;

class HazelcastPipeTest extends PipeKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }
}
