package org.multiprocessing4j.ipc.socket;

import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.Links;
import org.multiprocessing4j.spi.Transport;

/** The socket transport of one process: its links; every primitive stays the broker's. */
final class SocketTransport implements Transport {
    private final SocketSettings settings;
    private @Nullable NettyLinks links;

    SocketTransport(SocketSettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized Links links(byte[] authkey, int maxFrameSize) {
        if (links == null) {
            links = new NettyLinks(settings, authkey, maxFrameSize);
        }
        return links;
    }

    @Override
    public synchronized void close() {
        if (links != null) {
            links.close();
        }
    }

    @Override
    public String toString() {
        return "socket transport";
    }
}
