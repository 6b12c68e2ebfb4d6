package org.multiprocessing4j;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.net.Deadlines;
import org.multiprocessing4j.internal.net.Sockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server for {@link Connection}s, Python's {@code multiprocessing.connection.Listener}:
 * processes that did not start each other (any JVM that has the authkey) connect with
 * {@link Client#connect}.
 *
 * <p>It listens on a TCP address ({@link InetSocketAddress}) or a Unix domain socket
 * ({@link UnixDomainSocketAddress}); by default on 127.0.0.1 with a free port. Binding any
 * address that is not loopback must be asked for with {@link Builder#allowRemote}: a listener
 * reachable from other machines is a decision, not a default.
 *
 * <p><b>Authentication always happens</b>: every connection proves the authkey with an
 * HMAC-SHA256 challenge, both ways, before a byte of payload is read (Python skips it when the
 * key is {@code None}; here the default key is the current process's, which every process of
 * one tree shares). Handshakes run in the background, each limited in time, so a client that
 * stalls or sends garbage cannot hold up others; a client that fails is told, closed and
 * logged (SLF4J, logger {@code org.multiprocessing4j.Listener}, level WARN), and the listener
 * carries on. {@link #accept()} returns only authenticated connections.
 *
 * <p>Connections made here belong to this process: they cannot be sent to another process.
 *
 * @since 0.1
 */
public final class Listener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    /** The least length asked of the kernel's queue of connections not yet accepted. */
    private static final int KERNEL_BACKLOG = 1024;
    private static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final byte[] authkey;
    private final Duration handshakeTimeout;
    private final int backlog;
    private final int maxFrameSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Connection> ready = new ArrayDeque<>();
    private final Set<SocketChannel> handshaking = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closed;

    /**
     * Listens on 127.0.0.1 with a free port, with the current process's authkey.
     *
     * @throws IOException if the socket cannot be opened
     */
    public Listener() throws IOException {
        this(builder());
    }

    /**
     * Listens on {@code address} with the current process's authkey.
     *
     * @param address a loopback {@link InetSocketAddress} (port 0 picks a free one) or a
     *                {@link UnixDomainSocketAddress} whose file does not exist yet
     * @throws IOException if the socket cannot be opened
     * @throws IllegalArgumentException if the address is not loopback (see {@link Builder#allowRemote})
     */
    public Listener(SocketAddress address) throws IOException {
        this(builder().address(address));
    }

    /**
     * Listens on {@code address} with the given authkey.
     *
     * @param address as for {@link #Listener(SocketAddress)}
     * @param authkey the key clients must prove; not empty
     * @throws IOException if the socket cannot be opened
     * @throws IllegalArgumentException if the address is not loopback, or the key is empty
     */
    public Listener(SocketAddress address, byte[] authkey) throws IOException {
        this(builder().address(address).authkey(authkey));
    }

    private Listener(Builder b) throws IOException {
        this.authkey = b.authkey != null ? b.authkey.clone() : ProcessRuntime.current().processAuthkey();
        Sockets.checkKey(authkey);
        this.handshakeTimeout = b.handshakeTimeout;
        this.backlog = b.backlog;
        this.maxFrameSize = ProcessRuntime.current().context().maxFrameSize();
        SocketAddress wanted = b.address;
        Sockets.checkBindable(wanted, b.allowRemote);
        this.server = ServerSocketChannel.open(wanted instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX : ((InetSocketAddress) wanted).getAddress() instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            // The kernel's queue of connected clients is longer than the handshakes run at once:
            // a client whose connection overflows it is not refused but retried by TCP after 1,
            // 3, 7 s..., all counted against its handshake timeout (a burst of 300 threads of a
            // manager's client, one connection each, saw a third of them time out).
            server.bind(wanted, Math.max(backlog, KERNEL_BACKLOG));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + wanted + ": " + e.getMessage(), e);
        }
        this.address = server.getLocalAddress();
        Thread.ofPlatform().daemon().name("multiprocessing4j-listener (" + address + ")").start(this::acceptLoop);
    }

    /** {@return a builder for a listener with more settings} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Waits for the next authenticated connection.
     *
     * @return the connection, duplex
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if the listener is closed
     */
    public Connection accept() throws InterruptedException {
        Connection c = accept(null);
        return Objects.requireNonNull(c);
    }

    /**
     * Waits at most {@code timeout} for the next authenticated connection.
     *
     * @param timeout how long to wait; null waits as long as it takes
     * @return the connection, or null if none came in time
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if the listener is closed
     */
    public @Nullable Connection accept(@Nullable Duration timeout) throws InterruptedException {
        long left = timeout == null ? Long.MAX_VALUE : Primitives.saturatedNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (ready.isEmpty()) {
                if (closed) {
                    throw new IllegalStateException("the listener on " + address + " is closed");
                }
                if (timeout == null) {
                    changed.await();
                } else {
                    if (left <= 0) {
                        return null;
                    }
                    left = changed.awaitNanos(left);
                }
            }
            Connection c = ready.pollFirst();
            changed.signalAll();
            return c;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the address clients connect to (with the port the system chose, if it was 0)} */
    public SocketAddress address() {
        return address;
    }

    /** {@return how many connection attempts failed authentication so far} */
    public long refusedCount() {
        return refused.get();
    }

    /**
     * Stops listening; connections that were not accepted yet are closed, accepted ones stay
     * open. A Unix domain socket's file is removed. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing more can be done with it
        }
        for (SocketChannel ch : handshaking) {
            closeQuietly(ch);
        }
        lock.lock();
        try {
            for (Connection c : ready) {
                c.close();
            }
            ready.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException ignored) {
                // already gone, or not ours to remove
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                waitForRoom();
                ch = server.accept();
            } catch (ClosedChannelException | InterruptedException stop) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("the listener on {} stopped accepting: {}", address, e.toString());
                    close();
                }
                return;
            }
            handshaking.add(ch);
            if (closed) {
                closeQuietly(ch);
                return;
            }
            Thread.ofVirtual().name("multiprocessing4j-handshake").start(() -> authenticate(ch));
        }
    }

    private void waitForRoom() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && ready.size() + handshaking.size() >= backlog) {
                changed.await(100, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void authenticate(SocketChannel ch) {
        Sockets.noDelay(ch);
        String peer = Sockets.describePeer(ch);
        Deadlines.Deadline deadline = Deadlines.closeAfter(ch, handshakeTimeout);
        try {
            Sockets.serve(ch, authkey, peer);
            if (!deadline.cancel()) {
                throw new IOException("the handshake took longer than " + handshakeTimeout);
            }
            Connection c = new Connection(Sockets.connection(ch, peer, maxFrameSize), true, true);
            lock.lock();
            try {
                if (closed) {
                    c.close();
                } else {
                    ready.addLast(c);
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        } catch (IOException | RuntimeException failed) {
            // A deadline that fired (even one still closing the channel) is why the handshake
            // failed, whatever exception the closing caused.
            boolean timedOut = !deadline.cancel();
            closeQuietly(ch);
            if (!closed) {
                String why = timedOut ? "no complete handshake within " + handshakeTimeout : failed.getMessage();
                LOG.warn("the listener on {} refused a connection from {}: {}", address, peer, why);
            }
            refused.incrementAndGet();
        } finally {
            handshaking.remove(ch);
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }

    @Override
    public String toString() {
        return "<Listener " + address + (closed ? ", closed" : "") + ">";
    }

    /** Settings of a {@link Listener}. */
    public static final class Builder {
        private SocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private byte @Nullable [] authkey;
        private boolean allowRemote;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int backlog = 64;

        private Builder() {
        }

        /**
         * {@return this builder}
         *
         * @param address where to listen; by default 127.0.0.1 with a free port
         */
        public Builder address(SocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param path a Unix domain socket's file, which must not exist yet
         */
        public Builder unixSocket(Path path) {
            return address(UnixDomainSocketAddress.of(path));
        }

        /**
         * {@return this builder}
         *
         * @param authkey the key clients must prove; by default the current process's
         */
        public Builder authkey(byte[] authkey) {
            this.authkey = Objects.requireNonNull(authkey, "authkey").clone();
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param allow whether an address that is not loopback may be bound (off by default)
         */
        public Builder allowRemote(boolean allow) {
            this.allowRemote = allow;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param timeout how long a client has to complete the handshake; 10 s by default
         */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive, not " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param backlog how many connections may be handshaking or done and not yet taken by
         *                {@link #accept()}; 64 by default. More wait in the kernel's queue (at
         *                least 1,024 of them, as the system allows), not refused
         */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be at least 1, not " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * {@return the listener, listening}
         *
         * @throws IOException if the socket cannot be opened
         */
        public Listener build() throws IOException {
            return new Listener(this);
        }
    }
}
