package org.multiprocessing4j.ipc.socket;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.Links;

/**
 * {@link Links} over Netty: one event loop thread per process, a server channel opened on
 * first {@link #listen}, and one channel per link. Every channel starts with the authkey
 * handshake ({@link HandshakeHandler}); only then is the frame handler installed, so nothing
 * of a peer that did not prove the key is ever decoded.
 *
 * <p>Endpoints are {@code tcp:127.0.0.1:PORT} or {@code unix:@NAME} (an abstract-namespace
 * Unix socket: it has no file, so a killed process leaves nothing behind).
 */
final class NettyLinks implements Links {
    static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final SocketSettings settings;
    private final byte[] authkey;
    private final int maxFrameSize;
    private final long handshakeTimeoutMillis;
    private final EventLoopGroup group;
    private final ChannelGroup channels;
    private @Nullable Channel server;
    private @Nullable String endpoint;
    private volatile boolean closed;

    NettyLinks(SocketSettings settings, byte[] authkey, int maxFrameSize) {
        this(settings, authkey, maxFrameSize, HANDSHAKE_TIMEOUT_MILLIS);
    }

    NettyLinks(SocketSettings settings, byte[] authkey, int maxFrameSize, long handshakeTimeoutMillis) {
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.settings = settings;
        this.authkey = authkey.clone();
        this.maxFrameSize = maxFrameSize;
        // Daemon threads: a process must be able to end while its links are open.
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("multiprocessing4j-socket", true),
                settings.ioHandler());
        this.channels = new DefaultChannelGroup("multiprocessing4j links", group.next());
    }

    @Override
    public synchronized String listen(Acceptor acceptor) throws IOException {
        if (endpoint != null) {
            return endpoint;
        }
        checkOpen();
        SocketAddress bindTo = settings.unix()
                ? new DomainSocketAddress("\0multiprocessing4j-" + ProcessHandle.current().pid() + "-"
                        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()))
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(settings.serverChannel())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        configure(ch);
                        HandshakeHandler.installServer(ch, authkey, maxFrameSize, handshakeTimeoutMillis, acceptor);
                    }
                });
        if (!settings.unix()) {
            b.childOption(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture bound = b.bind(bindTo);
        await(bound, "listen on " + bindTo);
        server = bound.channel();
        channels.add(server);
        endpoint = describe(server.localAddress());
        return endpoint;
    }

    @Override
    public Link connect(String endpoint, Receiver receiver) throws IOException {
        checkOpen();
        SocketAddress address = parse(endpoint);
        CompletableFuture<NettyLink> ready = new CompletableFuture<>();
        boolean unixEndpoint = address instanceof DomainSocketAddress;
        Bootstrap b = new Bootstrap().group(group).channel(settings.clientChannel(unixEndpoint))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        configure(ch);
                        HandshakeHandler.installClient(ch, authkey, maxFrameSize, handshakeTimeoutMillis, receiver, endpoint,
                                ready);
                    }
                });
        if (!unixEndpoint) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture connected;
        synchronized (this) {
            // close() shuts the event loop down under the same monitor: a connect that got past
            // this check has its registration queued before that.
            checkOpen();
            connected = b.connect(address);
        }
        await(connected, "connect to " + endpoint);
        try {
            return ready.get(handshakeTimeoutMillis + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            connected.channel().close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while linking to " + endpoint);
        } catch (ExecutionException e) {
            connected.channel().close();
            throw e.getCause() instanceof IOException io ? io
                    : new IOException("cannot link to " + endpoint + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            connected.channel().close();
            throw new IOException("the handshake with " + endpoint + " did not complete in time", e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Every link writes what it was given, then closes; the listening channel just closes.
        for (Channel ch : channels) {
            NettyLink link = NettyLink.of(ch);
            if (link != null) {
                link.close();
            } else {
                ch.close();
            }
        }
        channels.newCloseFuture().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
        group.shutdownGracefully(0, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(CLOSE_WAIT_MILLIS);
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the socket links of this process are closed");
        }
    }

    private static void configure(Channel ch) {
        ch.config().setAutoRead(true);
    }

    private static WriteBufferWaterMark waterMark() {
        return new WriteBufferWaterMark(1 << 20, 8 << 20);
    }

    private static void await(ChannelFuture f, String what) throws IOException {
        try {
            f.sync();
        } catch (InterruptedException e) {
            f.channel().close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while trying to " + what);
        } catch (Exception e) {
            throw new IOException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    static String describe(SocketAddress address) {
        if (address instanceof DomainSocketAddress unix) {
            String path = unix.path();
            return "unix:" + (path.startsWith("\0") ? "@" + path.substring(1) : path);
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        return "tcp:" + inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }

    static SocketAddress parse(String endpoint) throws IOException {
        if (endpoint.startsWith("unix:")) {
            String path = endpoint.substring(5);
            return new DomainSocketAddress(path.startsWith("@") ? "\0" + path.substring(1) : path);
        }
        if (endpoint.startsWith("tcp:")) {
            int colon = endpoint.lastIndexOf(':');
            try {
                return new InetSocketAddress(InetAddress.getByName(endpoint.substring(4, colon)),
                        Integer.parseInt(endpoint.substring(colon + 1)));
            } catch (NumberFormatException | IOException e) {
                throw new IOException("malformed endpoint " + endpoint, e);
            }
        }
        throw new IOException("not a socket endpoint: " + endpoint);
    }
}
