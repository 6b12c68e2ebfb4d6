package org.multiprocessing4j.internal.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.multiprocessing4j.spi.ConnectionBackend;

/** What {@code Listener} and {@code Client} share: checks, the handshake, connections. */
public final class Sockets {
    private Sockets() {
    }

    /**
     * Checks an authkey.
     *
     * @param key an authkey
     * @throws IllegalArgumentException if it is empty
     */
    public static void checkKey(byte[] key) {
        Handshake.checkKey(key);
    }

    /**
     * Checks that an address may be listened on.
     *
     * @param address     an address to listen on
     * @param allowRemote whether the user asked for addresses other machines can reach
     * @throws IllegalArgumentException if it is of an unknown kind, or reachable from other
     *                                  machines without {@code allowRemote}
     */
    public static void checkBindable(SocketAddress address, boolean allowRemote) {
        if (address instanceof UnixDomainSocketAddress) {
            return;
        }
        if (!(address instanceof InetSocketAddress inet)) {
            throw new IllegalArgumentException("cannot listen on " + address + " (" + address.getClass().getName()
                    + "): use an InetSocketAddress or a UnixDomainSocketAddress");
        }
        if (inet.isUnresolved()) {
            throw new IllegalArgumentException("cannot listen on " + address + ": the host name does not resolve");
        }
        if (!inet.getAddress().isLoopbackAddress() && !allowRemote) {
            throw new IllegalArgumentException("listening on " + inet + " would accept connections from other "
                    + "machines; bind 127.0.0.1, or ask for it with Listener.builder().allowRemote(true)");
        }
    }

    /**
     * Turns Nagle's algorithm off on a TCP channel: frames are written whole, and waiting for
     * more would only add latency.
     *
     * @param ch a connected channel
     */
    public static void noDelay(SocketChannel ch) {
        try {
            if (ch.getLocalAddress() instanceof InetSocketAddress) {
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            }
        } catch (IOException ignored) {
            // a closed channel fails its next read or write anyway
        }
    }

    /**
     * {@return its peer, for messages}
     *
     * @param ch a connected channel
     */
    public static String describePeer(SocketChannel ch) {
        try {
            SocketAddress remote = ch.getRemoteAddress();
            if (remote instanceof UnixDomainSocketAddress) {
                return "a local process on " + ch.getLocalAddress();
            }
            return String.valueOf(remote);
        } catch (IOException e) {
            return "an unknown peer";
        }
    }

    /**
     * Runs the server's side of the handshake on a blocking channel.
     *
     * @param ch   the accepted channel
     * @param key  the authkey
     * @param peer the client, for messages
     * @throws IOException if the channel failed; {@link org.multiprocessing4j.AuthenticationException}
     *                     if the client failed to prove the key
     */
    public static void serve(SocketChannel ch, byte[] key, String peer) throws IOException {
        HandshakeIo.serve(ch, key, peer);
    }

    /**
     * Runs the server's side of the handshake over a connected {@link java.net.Socket}'s streams.
     * Unlike a {@link SocketChannel}, such a socket is not closed by an interrupt of a platform
     * thread that reads it; its read timeout ({@code setSoTimeout}) bounds the handshake.
     *
     * @param socket the accepted socket
     * @param key    the authkey
     * @param peer   the client, for messages
     * @throws IOException if the socket failed or timed out;
     *                     {@link org.multiprocessing4j.AuthenticationException} if the client
     *                     failed to prove the key
     */
    public static void serve(java.net.Socket socket, byte[] key, String peer) throws IOException {
        HandshakeIo.serve(new StreamChannel(socket), key, peer);
    }

    /**
     * Runs the client's side of the handshake over a connected {@link java.net.Socket}'s streams
     * (see {@link #serve(java.net.Socket, byte[], String)}).
     *
     * @param socket the connected socket
     * @param key    the authkey
     * @param peer   the server, for messages
     * @throws IOException if the socket failed or timed out;
     *                     {@link org.multiprocessing4j.AuthenticationException} if either side
     *                     failed to prove the key
     */
    public static void authenticate(java.net.Socket socket, byte[] key, String peer) throws IOException {
        HandshakeIo.connect(new StreamChannel(socket), key, peer);
    }

    /** A socket's streams as a channel, for the handshake; closing it leaves the socket open. */
    private static final class StreamChannel implements java.nio.channels.ByteChannel {
        private final java.io.InputStream in;
        private final java.io.OutputStream out;

        StreamChannel(java.net.Socket socket) throws IOException {
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        @Override
        public int read(java.nio.ByteBuffer dst) throws IOException {
            byte[] b = new byte[dst.remaining()];
            int n = in.read(b);
            if (n > 0) {
                dst.put(b, 0, n);
            }
            return n;
        }

        @Override
        public int write(java.nio.ByteBuffer src) throws IOException {
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            out.write(b);
            out.flush();
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // the socket's owner closes it
        }
    }

    /**
     * Connects and runs the client's side of the handshake.
     *
     * @param address the server
     * @param key     the authkey
     * @param timeout the limit for the handshake
     * @return the authenticated channel, in blocking mode
     * @throws IOException if the connection failed or timed out;
     *                     {@link org.multiprocessing4j.AuthenticationException} if either side
     *                     failed to prove the key
     */
    public static SocketChannel connect(SocketAddress address, byte[] key, Duration timeout) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(address);
        } catch (java.net.ConnectException | java.net.NoRouteToHostException refused) {
            throw new java.net.ConnectException("cannot connect to " + address + ": " + refused.getMessage());
        } catch (java.net.SocketException unix) {
            // a Unix domain socket's "No such file or directory" names no path
            java.net.SocketException named = new java.net.SocketException("cannot connect to " + address + ": "
                    + unix.getMessage());
            named.initCause(unix);
            throw named;
        }
        noDelay(ch);
        Deadlines.Deadline deadline = Deadlines.closeAfter(ch, timeout);
        try {
            HandshakeIo.connect(ch, key, String.valueOf(address));
            if (!deadline.cancel()) {
                throw new IOException(address + " did not complete the handshake within " + timeout);
            }
            return ch;
        } catch (IOException | RuntimeException failed) {
            boolean late = !deadline.cancel();
            ch.close();
            if (late) {
                throw new IOException(address + " did not complete the handshake within " + timeout, failed);
            }
            throw failed;
        }
    }

    /**
     * {@return a connection backend over it}
     *
     * @param ch           an authenticated channel
     * @param peer         the other side, for messages
     * @param maxFrameSize the largest message accepted
     */
    public static ConnectionBackend connection(SocketChannel ch, String peer, int maxFrameSize) {
        return new ChannelConnection(ch, peer, maxFrameSize);
    }
}
