package org.multiprocessing4j.ipc.socket;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How the socket transport connects, read from system properties (children inherit them: the
 * parent's {@code -D} options are not passed on, so set them in the context's JVM options too
 * when children must differ from the default):
 * <ul>
 *   <li>{@code multiprocessing4j.socket.family}: {@code tcp} (default; 127.0.0.1, a free port)
 *       or {@code unix} (Unix domain sockets in the abstract namespace: no file to leak;
 *       Linux with Netty's native epoll only).
 *   <li>{@code multiprocessing4j.socket.native}: {@code true} (default) uses Netty's native
 *       epoll transport where it loads, {@code false} always uses Java NIO.
 * </ul>
 *
 * @param family       {@code "tcp"} or {@code "unix"}
 * @param preferNative whether to use epoll where available
 */
record SocketSettings(String family, boolean preferNative) {
    static final String FAMILY = "multiprocessing4j.socket.family";
    static final String NATIVE = "multiprocessing4j.socket.native";

    static SocketSettings fromSystemProperties() {
        return new SocketSettings(System.getProperty(FAMILY, "tcp").trim().toLowerCase(Locale.ROOT),
                !"false".equalsIgnoreCase(System.getProperty(NATIVE, "true").trim()));
    }

    @Nullable String unavailabilityCause() {
        if (!family.equals("tcp") && !family.equals("unix")) {
            return "-D" + FAMILY + "=" + family + " is not a socket family: use tcp or unix";
        }
        // Only Unix domain sockets need the native transport; for TCP, Java NIO always works,
        // so nothing of Netty is loaded to answer (every provider on the class path is asked,
        // also when another transport is chosen).
        if (family.equals("unix") && !useEpoll()) {
            return "Unix domain sockets need Netty's native epoll transport, which "
                    + (preferNative ? "does not load here (" + Epoll.unavailabilityCause() + ")" : "-D" + NATIVE
                    + "=false turned off");
        }
        return null;
    }

    boolean useEpoll() {
        return preferNative && Epoll.isAvailable();
    }

    boolean unix() {
        return family.equals("unix");
    }

    IoHandlerFactory ioHandler() {
        return useEpoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    Class<? extends ServerChannel> serverChannel() {
        if (unix()) {
            return EpollServerDomainSocketChannel.class;
        }
        return useEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * {@return the channel class for it, with this process's event loop}
     *
     * @param unixEndpoint whether the endpoint to connect to is a Unix domain socket (the other
     *                     process may have other settings than this one)
     * @throws java.io.IOException if this process cannot reach such an endpoint
     */
    Class<? extends io.netty.channel.Channel> clientChannel(boolean unixEndpoint) throws java.io.IOException {
        if (unixEndpoint) {
            if (!useEpoll()) {
                throw new java.io.IOException("cannot reach a Unix domain socket without Netty's native epoll");
            }
            return EpollDomainSocketChannel.class;
        }
        return useEpoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
