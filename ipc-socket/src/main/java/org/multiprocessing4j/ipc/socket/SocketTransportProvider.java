package org.multiprocessing4j.ipc.socket;

import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.Transport;
import org.multiprocessing4j.spi.TransportProvider;

/**
 * The {@code socket} transport: the broker's traffic between any two processes of a tree goes
 * over a direct, authenticated socket between them (Netty; loopback TCP, or Unix domain sockets
 * when {@code -Dmultiprocessing4j.socket.family=unix}), instead of being relayed along the
 * process tree over the children's pipes. See {@link SocketSettings} for the settings.
 *
 * @since 0.1
 */
public final class SocketTransportProvider implements TransportProvider {
    /** The name users select it by. */
    public static final String NAME = "socket";

    /** Called by {@link java.util.ServiceLoader}. */
    public SocketTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@return 10: above {@code pipe}, which relays along the tree} */
    @Override
    public int priority() {
        return 10;
    }

    @Override
    public @Nullable String unavailabilityCause() {
        return SocketSettings.fromSystemProperties().unavailabilityCause();
    }

    @Override
    public Transport create() {
        return new SocketTransport(SocketSettings.fromSystemProperties());
    }
}
