package org.multiprocessing4j.cluster.hazelcast;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.net.ChannelIo;
import org.multiprocessing4j.internal.net.Sockets;

/**
 * The connections that carry one process's pipe traffic ({@link PipeHost}): a TCP server on an
 * address of this process's, and one connection to each other process it sends to, opened at
 * the first request and kept. Both sides prove the key with core's handshake (the one
 * {@code Listener}, {@code Client} and the socket transport speak) before a byte of a request
 * is read. A request is a type byte and its fields, answered before the next is sent.
 *
 * <p>Classic {@link Socket}s, not channels: an interrupt closes a {@code SocketChannel} that a
 * thread is blocked on, which here would cut a request in the middle (a claim granted but never
 * answered loses the end's messages; {@code Connection.wait} interrupts its other pollers). A
 * platform thread's socket I/O is not interruptible, so it calls on its own thread; a virtual
 * thread's is, so it hands the request to a thread of its own and waits for it without being
 * interruptible. Each accepted connection is served by a platform thread: a virtual one's
 * wake-up cost a third of the round trip here (measured, pipe round trip 240 µs against 75).
 */
final class PipeLinks implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** The longest an answer may take: a claim's includes a change of the record, sent again for up to 15 s. */
    private static final int ANSWER_TIMEOUT_MILLIS = 60_000;
    private static final int BUFFER = 65536;

    /** Answers the requests of other processes; called on a thread per connection. */
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

    /** Writes a request. */
    interface Request {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads an answer. */
    interface Answering<T> {
        T read(DataInputStream in) throws IOException;
    }

    private final byte[] linkKey;
    private final InetAddress bind;
    private final Handler handler;
    private final ConcurrentHashMap<String, Peer> peers = new ConcurrentHashMap<>();
    private final java.util.Set<Socket> accepted = ConcurrentHashMap.newKeySet();
    private @Nullable ServerSocket server;
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
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(bind, 0));
            server = s;
            endpoint = bind.getHostAddress() + ":" + s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + bind + " for pipe connections: " + e, e);
        }
        Thread.ofPlatform().daemon().name("multiprocessing4j-pipe-accept").start(this::acceptLoop);
        return endpoint;
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (!closed && s != null) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.add(socket);
            if (closed) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                return;
            }
            Thread.ofPlatform().daemon().name("multiprocessing4j-pipe-serve").start(() -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS); // a client that says nothing does not keep a thread
            Sockets.serve(socket, linkKey, peer);
            socket.setSoTimeout(0); // between requests, as long as the peer likes
            var in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER));
            var out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER));
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
            accepted.remove(socket);
        }
    }

    /** Writes a count of messages, then each one as {@link #readMessage} reads it. */
    static void writeMessages(DataOutputStream out, List<byte[]> messages) throws IOException {
        out.writeInt(messages.size());
        for (byte[] m : messages) {
            out.writeInt(m.length);
            out.write(m);
        }
    }

    /** {@return the messages {@link #writeMessages} wrote} */
    static List<byte[]> readMessages(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("a list of " + n + " pipe messages");
        }
        if (n == 0) {
            return List.of();
        }
        List<byte[]> messages = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            messages.add(readMessage(in));
        }
        return messages;
    }

    static byte[] readMessage(DataInputStream in) throws IOException {
        int length = in.readInt();
        int max = ProcessRuntime.current().context().maxFrameSize();
        if (length < 0 || length > max) {
            throw new IOException("a pipe message of " + length + " bytes; at most " + max + " are accepted");
        }
        byte[] message = new byte[length];
        in.readFully(message); // a stream that ends inside a message fails, never a short message
        return message;
    }

    /**
     * Sends a request to the process at {@code target} and reads its answer; never cut short by
     * an interrupt (see the class's comment), which is kept for the caller.
     *
     * @throws IOException if the process cannot be reached, or did not answer within a minute
     */
    <T> T call(String target, Request request, Answering<T> answering) throws IOException {
        if (!Thread.currentThread().isVirtual()) {
            return callHere(target, request, answering);
        }
        return ChannelIo.shielded(() -> callHere(target, request, answering));
    }

    private <T> T callHere(String target, Request request, Answering<T> answering) throws IOException {
        if (closed) {
            throw new IllegalStateException("this process has left the cluster (it is exiting)");
        }
        Peer peer = peers.computeIfAbsent(target, Peer::new);
        peer.lock.lock();
        try {
            try {
                peer.connect(linkKey);
                request.write(peer.out);
                peer.out.flush();
                return answering.read(peer.in); // at most ANSWER_TIMEOUT_MILLIS: the socket's read timeout
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
        @Nullable Socket socket;
        DataInputStream in;
        DataOutputStream out;

        Peer(String target) {
            this.target = target;
        }

        void connect(byte[] key) throws IOException {
            if (socket != null) {
                return;
            }
            int colon = target.lastIndexOf(':');
            if (colon < 0) {
                throw new IOException("not a pipe endpoint: " + target);
            }
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))),
                        CONNECT_TIMEOUT_MILLIS);
                s.setTcpNoDelay(true);
                s.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
                Sockets.authenticate(s, key, target);
                // A process that is stopped or cut off never answers: the read times out, and the
                // caller asks the cluster where to go.
                s.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
                in = new DataInputStream(new BufferedInputStream(s.getInputStream(), BUFFER));
                out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), BUFFER));
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            socket = s;
        }

        void close() {
            Socket s = socket;
            socket = null;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /**
     * An answer: a status, a text (an endpoint for MOVED, a reason), an epoch, and for a claim
     * the handed-over messages with the last sequence number taken from each sender.
     */
    record Reply(byte status, String text, long epoch, List<byte[]> messages, java.util.Map<String, Long> seqs) {
        static void write(DataOutputStream out, byte status, @Nullable String text, long epoch,
                          @Nullable List<byte[]> messages) throws IOException {
            write(out, status, text, epoch, messages, java.util.Map.of());
        }

        static void write(DataOutputStream out, byte status, @Nullable String text, long epoch,
                          @Nullable List<byte[]> messages, java.util.Map<String, Long> seqs) throws IOException {
            out.writeByte(status);
            out.writeUTF(text == null ? "" : text);
            out.writeLong(epoch);
            writeMessages(out, messages == null ? List.of() : messages);
            writeSeqs(out, seqs);
        }

        static Reply read(DataInputStream in) throws IOException {
            byte status = in.readByte();
            String text = in.readUTF();
            long epoch = in.readLong();
            return new Reply(status, text, epoch, readMessages(in), readSeqs(in));
        }
    }

    /** Writes the last sequence number taken from each sender. */
    static void writeSeqs(DataOutputStream out, java.util.Map<String, Long> seqs) throws IOException {
        out.writeInt(seqs.size());
        for (var e : seqs.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    /** {@return what {@link #writeSeqs} wrote} */
    static java.util.Map<String, Long> readSeqs(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("sequence numbers of " + n + " senders");
        }
        if (n == 0) {
            return java.util.Map.of(); // every answer but a claim's: nothing to allocate
        }
        java.util.Map<String, Long> seqs = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            seqs.put(in.readUTF(), in.readLong());
        }
        return seqs;
    }

    @Override
    public void close() {
        ServerSocket s;
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
        for (Socket socket : accepted) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // at exit
            }
        }
        for (Peer p : peers.values()) {
            p.close();
        }
    }
}
