package org.multiprocessing4j.cluster.hazelcast;

import java.util.List;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;

/** What the tests of this module share. */
final class ClusterTests {
    private ClusterTests() {
    }

    /** @return the hazelcast context, its children started with the option Hazelcast needs on JDK 25 */
    static Context context() {
        return Multiprocessing.getContext(HazelcastTransportProvider.NAME).toBuilder()
                .jvmOptions(List.of(HazelcastTransportProvider.UNSAFE_MEMORY_ACCESS)).build();
    }
}
