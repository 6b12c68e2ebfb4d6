package org.multiprocessing4j;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.net.Sockets;

/**
 * Connects to a {@link Listener}, Python's {@code multiprocessing.connection.Client}: from any
 * JVM that has the listener's authkey, whether or not it was started by the listener's process.
 *
 * @since 0.1
 */
public final class Client {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private Client() {
    }

    /**
     * Connects with the current process's authkey (which every process of one tree shares).
     *
     * @param address the listener's {@link Listener#address()}
     * @return an authenticated duplex connection, which belongs to this process
     * @throws IOException             if the connection cannot be made (nothing listens there,
     *                                 the handshake did not complete in 10 s)
     * @throws AuthenticationException if the keys differ, or the other side is not a listener
     */
    public static Connection connect(SocketAddress address) throws IOException {
        return connect(address, ProcessRuntime.current().processAuthkey());
    }

    /**
     * Connects with the given authkey.
     *
     * @param address the listener's {@link Listener#address()}
     * @param authkey the key to prove; not empty
     * @return an authenticated duplex connection, which belongs to this process
     * @throws IOException             if the connection cannot be made
     * @throws AuthenticationException if the keys differ, or the other side is not a listener
     */
    public static Connection connect(SocketAddress address, byte[] authkey) throws IOException {
        Objects.requireNonNull(address, "address");
        Sockets.checkKey(authkey);
        SocketChannel ch = Sockets.connect(address, authkey.clone(), HANDSHAKE_TIMEOUT);
        return new Connection(Sockets.connection(ch, String.valueOf(address),
                ProcessRuntime.current().context().maxFrameSize()), true, true);
    }
}
