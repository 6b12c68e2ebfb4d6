package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.spi.ConnectionBackend;
import org.multiprocessing4j.spi.PipeBackend;

/**
 * A new {@code Pipe} on the {@code hazelcast} transport: its record made, both ends held and
 * kept by the opening process until readers elsewhere claim them ({@link PipeHost}).
 *
 * @param first  end 0
 * @param second end 1
 */
record ClusterPipe(ConnectionBackend first, ConnectionBackend second) implements PipeBackend {

    static ClusterPipe open(ClusterNode node) {
        String key = node.pipes().open();
        return new ClusterPipe(new ClusterConnection(key, 0, ""), new ClusterConnection(key, 1, ""));
    }
}
