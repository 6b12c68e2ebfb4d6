package org.multiprocessing4j.tck.tiny;

import org.multiprocessing4j.spi.Links;
import org.multiprocessing4j.spi.Transport;

/**
 * Step 2: the transport of one process. It offers direct links and no native primitive, so
 * every queue, lock and pipe is core's broker default, carried over these links.
 */
final class TinyTransport implements Transport {
    @Override
    public Links links(byte[] authkey, int maxFrameSize) {
        return new TinyLinks(authkey);
    }

    @Override
    public String toString() {
        return "tiny transport";
    }
}
