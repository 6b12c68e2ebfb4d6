package org.multiprocessing4j.cluster.hazelcast;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.net.Deadlines;
import org.multiprocessing4j.internal.net.Sockets;

/**
 * The connections that carry one process's pipe traffic ({@link PipeHost}): a TCP server on an
 * address of this process's, and one connection to each other process it sends to, opened at
 * the first request and kept. Both sides prove the key with core's handshake (the one
 * {@code Listener}, {@code Client} and the socket transport speak) before a byte of a request
 * is read. A request is a type byte and its fields, answered before the next is sent.
 */
final class PipeLinks implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The longest an answer may take: a claim's includes a change of the record, sent again for up to 15 s. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    /** Answers the requests of other processes; called on a virtual thread per connection. */
    interface Handler {
        /**
         * Reads the rest of one request and writes its answer.
         *
         * @param type the request's type byte
         * @param in   the request's fields
         * @param out  where the answer goes (flushed by the caller)
         * @param peer the other process, for messages
         * @throws IOException if the connection failed, or the request is malformed (the
         *                     connection is then closed)
         */
        void handle(int type, DataInputStream in, DataOutputStream out, String peer) throws IOException;
    }

    private final byte[] linkKey;
    private final InetAddress bind;
    private final Handler handler;
    private final ConcurrentHashMap<String, Peer> peers = new ConcurrentHashMap<>();
    private final java.util.Set<SocketChannel> accepted = ConcurrentHashMap.newKeySet();
    private @Nullable ServerSocketChannel server;
    private @Nullable String endpoint;
    private volatile boolean closed;

    /**
     * @param linkKey the key both sides of a connection prove
     * @param bind    the address to listen on
     * @param handler what answers requests
     */
    PipeLinks(byte[] linkKey, InetAddress bind, Handler handler) {
        this.linkKey = linkKey;
        this.bind = bind;
        this.handler = handler;
    }

    /** {@return this process's endpoint, {@code host:port}, listening from the first call} */
    synchronized String endpoint() {
        if (endpoint != null) {
            return endpoint;
        }
        if (closed) {
            throw new IllegalStateException("this process has left the cluster (it is exiting)");
        }
        InetAddress address = bind;
        try {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(address, 0));
            server = s;
            endpoint = address.getHostAddress() + ":" + ((InetSocketAddress) s.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + address + " for pipe connections: " + e, e);
        }
        Thread.ofPlatform().daemon().name("multiprocessing4j-pipe-accept").start(this::acceptLoop);
        return endpoint;
    }

    private void acceptLoop() {
        ServerSocketChannel s = server;
        while (!closed && s != null) {
            SocketChannel ch;
            try {
                ch = s.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.add(ch);
            Thread.ofVirtual().name("multiprocessing4j-pipe-serve").start(() -> serve(ch));
        }
    }

    private void serve(SocketChannel ch) {
        String peer = Sockets.describePeer(ch);
        try (ch) {
            Sockets.noDelay(ch);
            Sockets.serve(ch, linkKey, peer);
            var in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch), 65536));
            var out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 65536));
            while (!closed) {
                int type;
                try {
                    type = in.readUnsignedByte();
                } catch (EOFException end) {
                    return;
                }
                handler.handle(type, in, out, peer);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the peer went, or failed the handshake: its connection ends here
        } finally {
            accepted.remove(ch);
        }
    }

    static byte[] readMessage(DataInputStream in) throws IOException {
        int length = in.readInt();
        int max = ProcessRuntime.current().context().maxFrameSize();
        if (length < 0 || length > max) {
            throw new IOException("a pipe message of " + length + " bytes; at most " + max + " are accepted");
        }
        return in.readNBytes(length);
    }

    /** Writes a request. */
    interface Request {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads an answer. */
    interface Answering<T> {
        T read(DataInputStream in) throws IOException;
    }

    /**
     * Sends a request and reads its answer, on a thread of its own that the caller waits for
     * without being interruptible: an interrupt (which {@code Connection.wait} gives its other
     * pollers) would close the channel mid-request, and a claim granted but never answered
     * loses the end's messages.
     */
    <T> T call(String target, Request request, Answering<T> answering) throws IOException {
        java.util.concurrent.CompletableFuture<T> answer = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("multiprocessing4j-pipe-call").start(() -> {
            try {
                answer.complete(callHere(target, request, answering));
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return answer.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    switch (e.getCause()) {
                        case IOException io -> throw io;
                        case RuntimeException r -> throw r;
                        case Error err -> throw err;
                        default -> throw new IllegalStateException(e.getCause());
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <T> T callHere(String target, Request request, Answering<T> answering) throws IOException {
        if (closed) {
            throw new IllegalStateException("this process has left the cluster (it is exiting)");
        }
        Peer peer = peers.get(target);
        if (peer == null) {
            Peer made = new Peer(target);
            peer = peers.putIfAbsent(target, made);
            if (peer == null) {
                peer = made;
            }
        }
        peer.lock.lock();
        try {
            try {
                peer.connect(linkKey);
                // A process that is stopped or cut off never answers: its channel is closed after
                // a while, which fails the read, and the caller asks the cluster where to go.
                Deadlines.Deadline deadline = Deadlines.closeAfter(peer.ch, ANSWER_TIMEOUT);
                T answer;
                try {
                    request.write(peer.out);
                    peer.out.flush();
                    answer = answering.read(peer.in);
                } catch (IOException e) {
                    if (!deadline.cancel()) {
                        throw new IOException(target + " did not answer a pipe request within " + ANSWER_TIMEOUT, e);
                    }
                    throw e;
                }
                if (!deadline.cancel()) {
                    throw new IOException(target + " did not answer a pipe request within " + ANSWER_TIMEOUT);
                }
                return answer;
            } catch (IOException | RuntimeException e) {
                peer.close();
                peers.remove(target, peer);
                throw e;
            }
        } finally {
            peer.lock.unlock();
        }
    }

    /** The connection to one other process's endpoint; one request at a time. */
    private static final class Peer {
        final String target;
        final ReentrantLock lock = new ReentrantLock();
        @Nullable SocketChannel ch;
        DataInputStream in;
        DataOutputStream out;

        Peer(String target) {
            this.target = target;
        }

        void connect(byte[] key) throws IOException {
            if (ch != null) {
                return;
            }
            int colon = target.lastIndexOf(':');
            if (colon < 0) {
                throw new IOException("not a pipe endpoint: " + target);
            }
            var address = new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
            SocketChannel c = Sockets.connect(address, key, CONNECT_TIMEOUT);
            in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(c), 65536));
            out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(c), 65536));
            ch = c;
        }

        void close() {
            SocketChannel c = ch;
            ch = null;
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /** An answer: a status, a text (an endpoint for MOVED, a reason), an epoch, handed-over messages. */
    record Reply(byte status, String text, long epoch, List<byte[]> messages) {
        static void write(DataOutputStream out, byte status, @Nullable String text, long epoch,
                          @Nullable List<byte[]> messages) throws IOException {
            out.writeByte(status);
            out.writeUTF(text == null ? "" : text);
            out.writeLong(epoch);
            if (messages == null) {
                out.writeInt(0);
                return;
            }
            out.writeInt(messages.size());
            for (byte[] m : messages) {
                out.writeInt(m.length);
                out.write(m);
            }
        }

        static Reply read(DataInputStream in) throws IOException {
            byte status = in.readByte();
            String text = in.readUTF();
            long epoch = in.readLong();
            int n = in.readInt();
            if (n < 0) {
                throw new IOException("an answer with " + n + " messages");
            }
            List<byte[]> messages = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                messages.add(readMessage(in));
            }
            return new Reply(status, text, epoch, messages);
        }
    }

    @Override
    public void close() {
        ServerSocketChannel s;
        synchronized (this) {
            closed = true;
            s = server;
        }
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // at exit
            }
        }
        for (SocketChannel ch : accepted) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // at exit
            }
        }
        for (Peer p : peers.values()) {
            p.close();
        }
    }
}
