package org.multiprocessing4j.ipc.pipe;

import org.multiprocessing4j.spi.Transport;

/**
 * The {@code pipe} transport in a process: every message travels on core's control links,
 * the anonymous pipes of each child's stdin and stdout, and every primitive is core's broker
 * default, hosted by the process that created it. Parents route for their children; a
 * grandchild reaches the root through its parent.
 *
 * @since 0.1
 */
final class PipeTransport implements Transport {
    @Override
    public String toString() {
        return "pipe transport";
    }
}
