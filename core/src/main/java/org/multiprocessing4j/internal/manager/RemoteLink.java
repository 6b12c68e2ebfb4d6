package org.multiprocessing4j.internal.manager;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.internal.ChildEncoding;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ManagerReply;
import org.multiprocessing4j.internal.net.ChannelIo;

/**
 * A remote manager's server, reached over authenticated connections (core's {@link Client}):
 * one per thread that calls (made on its first call; those of ended threads are closed when
 * the next is made), and a primary one that carries reference changes and whose end tells the
 * server this session is over.
 *
 * <p><b>Passed to another process</b> (inside a proxy), a link travels as the server's address,
 * and its authkey only when it goes to a child being started (in the child's target, on its
 * stdin), as Python's proxies do. The receiving process uses one link per server for every
 * proxy it decodes (its own session, so its end releases what it held), made on first use with
 * the key it came with, else the key this process last used for that address, else
 * {@link org.multiprocessing4j.Process#authkey()} (Python's rule) — except in a manager's server
 * process, which a client could otherwise make prove its tree's key to any address.
 */
public final class RemoteLink implements ServerLink {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The keys this process used or was given, by address. */
    private static final Map<AddressForm, byte[]> KEYS = new ConcurrentHashMap<>();
    /** The links made for decoded proxies, by address. */
    private static final Map<AddressForm, RemoteLink> DECODED = new ConcurrentHashMap<>();
    /** The servers this process runs, by address: a proxy decoded here reaches them directly. */
    private static final Map<AddressForm, ServerLink> SERVED = new ConcurrentHashMap<>();
    /** While a client decodes an answer: the link it came on. */
    private static final ScopedValue<ServerLink> RECEIVING = ScopedValue.newInstance();

    /** How long a new connection waits for the server's welcome ({@link #awaitWelcome}). */
    private static final Duration WELCOME_WAIT = Duration.ofSeconds(60);

    private final transient AddressForm address;
    private final transient byte @Nullable [] authkey;
    private final transient String session = UUID.randomUUID().toString();
    private final transient Map<Thread, Connection> connections = new ConcurrentHashMap<>();
    private final transient AtomicLong nextCall = new AtomicLong();
    private transient @Nullable Connection primary;
    private transient volatile boolean closed;

    private RemoteLink(AddressForm address, byte @Nullable [] authkey) {
        this.address = address;
        this.authkey = authkey == null ? null : authkey.clone();
    }

    /**
     * Connects to a remote manager's server.
     *
     * @param address where it serves
     * @param authkey its key
     * @return the link
     * @throws IOException if it cannot be reached
     * @throws AuthenticationException if the keys differ
     */
    public static RemoteLink connect(java.net.SocketAddress address, byte[] authkey) throws IOException {
        RemoteLink link = new RemoteLink(AddressForm.of(address), authkey);
        link.primary();
        KEYS.put(link.address, authkey.clone());
        DECODED.compute(link.address, (a, known) -> known != null && !known.closed ? known : link);
        return link;
    }

    /**
     * A server of this process serves remote clients at {@code address}: proxies of it decoded
     * here use {@code local} instead of connecting to themselves.
     *
     * @param address where it serves
     * @param local   how this process reaches it
     */
    public static void servedHere(AddressForm address, ServerLink local) {
        SERVED.put(address, local);
    }

    /**
     * Decodes an answer of the server: a proxy in it that the server meant for this client
     * ({@link #ownLink()}) uses {@code link}.
     *
     * @param link   the link the answer came on
     * @param decode the decoding
     * @param <T>    its result
     * @return its result
     */
    static <T> T receiving(ServerLink link, Supplier<T> decode) {
        return ScopedValue.where(RECEIVING, link).call(decode::get);
    }

    /**
     * {@return what a server encodes, for a remote client, in place of the link of a proxy it
     * sends: "the link you receive this on"}
     *
     */
    static ServerLink ownLink() {
        return OwnLink.INSTANCE;
    }

    /** The link a decoded proxy uses: one per server in this process, connected on first use. */
    private static ServerLink decoded(AddressForm address, byte @Nullable [] authkey) {
        ServerLink local = SERVED.get(address);
        if (local != null) {
            return local;
        }
        if (authkey != null) {
            KEYS.put(address, authkey.clone());
        }
        return DECODED.compute(address, (a, known) -> known != null && !known.closed ? known
                : new RemoteLink(a, KEYS.getOrDefault(a, SERVED.isEmpty() ? ProcessRuntime.current().processAuthkey()
                        : null)));
    }

    @Override
    public ManagerReply call(ManagerCall call) throws InterruptedException {
        Connection c = connection();
        long id = nextCall.incrementAndGet();
        send(c, call.toBuilder().setCallId(id).build().toByteArray());
        boolean interrupted = false;
        try {
            ManagerReply reply = null;
            while (reply == null) {
                try {
                    reply = ManagerReply.parseFrom(c.recvBytes());
                } catch (InterruptedException e) {
                    if (!interrupted) {
                        interrupted = true;
                        send(c, ManagerCall.newBuilder().setOp(ManagerOps.CANCEL).setCallId(id).build().toByteArray());
                    }
                }
            }
            for (String warning : reply.getWarningsList()) {
                System.err.println(warning);
            }
            if (interrupted && reply.hasCancelled()) {
                interrupted = false; // it did not run: the interrupt is the caller's exception
                throw new InterruptedException("interrupted while calling the manager " + describe());
            }
            return reply;
        } catch (ProcessGoneException e) {
            throw e;
        } catch (EOFException | InvalidProtocolBufferException | RuntimeException e) {
            throw gone(c, e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void post(ManagerCall call) {
        if (closed) {
            return;
        }
        try {
            Connection p = primary();
            ChannelIo.shielded(() -> {
                synchronized (p) {
                    p.sendBytes(call.toByteArray());
                }
                return null;
            });
        } catch (IOException | RuntimeException gone) {
            // the server is gone, or refuses this process: nothing to count or release there
        }
    }

    @Override
    public String describe() {
        return "at " + (address.port() < 0 ? address.host() : address.host() + ":" + address.port());
    }

    /** Closes every connection: the server gives back this session's references. */
    public void close() {
        Connection p;
        synchronized (this) {
            closed = true;
            p = primary;
        }
        connections.values().forEach(Connection::close);
        connections.clear();
        if (p != null) {
            p.close();
        }
    }

    /** The session's primary connection, made on first need. */
    private synchronized Connection primary() throws IOException {
        if (closed) {
            throw new IllegalStateException("the connection to the manager " + describe() + " was closed");
        }
        if (primary == null) {
            primary = open(true);
        }
        return primary;
    }

    private Connection connection() {
        if (closed) {
            throw new IllegalStateException("the connection to the manager " + describe() + " was closed");
        }
        Thread t = Thread.currentThread();
        Connection c = connections.get(t);
        if (c != null) {
            return c;
        }
        connections.entrySet().removeIf(e -> {
            if (e.getKey().isAlive()) {
                return false;
            }
            e.getValue().close();
            return true;
        });
        try {
            primary(); // the session begins with it: its end is what releases the session's holds
            c = open(false);
        } catch (IOException e) {
            throw new ProcessGoneException("the manager " + describe() + " cannot be reached: " + e.getMessage());
        }
        connections.put(t, c);
        return c;
    }

    /**
     * Sends a frame on a thread's connection; a failure means the server is gone, but a frame
     * larger than this process's context allows is refused before anything is sent.
     */
    private void send(Connection c, byte[] frame) {
        try {
            ChannelIo.shielded(() -> {
                c.sendBytes(frame);
                return null;
            });
        } catch (IllegalArgumentException tooLarge) {
            throw new IllegalArgumentException("a call to the manager " + describe() + " was not sent: "
                    + tooLarge.getMessage(), tooLarge);
        } catch (IOException | RuntimeException e) {
            throw gone(c, e.toString());
        }
    }

    private Connection open(boolean isPrimary) throws IOException {
        return ChannelIo.shielded(() -> connectAndGreet(isPrimary));
    }

    private Connection connectAndGreet(boolean isPrimary) throws IOException {
        if (authkey == null) {
            throw new AuthenticationException("this process knows no key for the manager " + describe()
                    + ": a manager's server does not try its own key on an address it was sent");
        }
        Connection c;
        try {
            c = Client.connect(address.address(), authkey);
        } catch (AuthenticationException e) {
            throw new AuthenticationException("the manager " + describe() + " refused this process's key (a proxy "
                    + "passed from elsewhere uses the key this process last connected there with, else its own "
                    + "Process.authkey()): " + e.getMessage());
        }
        c.sendBytes(ManagerCall.newBuilder().setOp(ManagerOps.HELLO).setType(session).setObject(isPrimary ? 1 : 0)
                .build().toByteArray());
        awaitWelcome(c);
        return c;
    }

    /**
     * Waits for the server's answer to HELLO: a peer that knows the key but is no manager (a
     * plain {@link org.multiprocessing4j.Listener}, another program) would otherwise take the
     * first call and never answer it, and a call to a manager may wait without limit.
     */
    private void awaitWelcome(Connection c) throws IOException {
        try {
            if (!c.poll(WELCOME_WAIT)) {
                c.close();
                throw new IOException("the peer " + describe() + " accepted the key but did not answer as a"
                        + " multiprocessing4j manager within " + WELCOME_WAIT.toSeconds() + " s: not a manager, or"
                        + " one whose running calls keep every thread of its server busy");
            }
            ManagerReply welcome = ManagerReply.parseFrom(c.recvBytes());
            if (welcome.getResultCase() != ManagerReply.ResultCase.WELCOME) {
                throw new InvalidProtocolBufferException("its first message was " + welcome.getResultCase());
            }
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            c.close();
            throw new IOException("the peer " + describe() + " accepted the key but is not a multiprocessing4j"
                    + " manager: its first message was not a manager's welcome (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            c.close();
            throw new IOException("the manager " + describe() + " closed the connection before welcoming it"
                    + " (shutting down, or not a manager)", e);
        } catch (InterruptedException e) {
            c.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the manager " + describe() + " to answer", e);
        }
    }

    private ProcessGoneException gone(Connection c, String why) {
        connections.values().remove(c);
        c.close();
        if (closed) {
            return new ProcessGoneException("the connection to the manager " + describe() + " was closed");
        }
        return new ProcessGoneException("the manager " + describe() + " is gone: " + why);
    }

    @Serial
    private Object writeReplace() {
        return new SerialForm(address, ChildEncoding.active() && authkey != null ? authkey.clone() : null);
    }

    /**
     * How a link travels: the server's address, and its key only to a child being started; no
     * address for {@link #ownLink()}.
     *
     * @param address the server's address, or null for the link the answer comes on
     * @param authkey its key, or null
     */
    private record SerialForm(@Nullable AddressForm address, byte @Nullable [] authkey) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Serial
        private Object readResolve() throws InvalidObjectException {
            if (address != null) {
                return decoded(address, authkey);
            }
            if (!RECEIVING.isBound()) {
                throw new InvalidObjectException("a manager's proxy sent to a remote client can only be decoded "
                        + "by that client");
            }
            return RECEIVING.get();
        }
    }

    /** {@link #ownLink()}: exists only to be encoded. */
    private static final class OwnLink implements ServerLink {
        @Serial
        private static final long serialVersionUID = 1L;
        static final OwnLink INSTANCE = new OwnLink();

        @Override
        public ManagerReply call(ManagerCall call) {
            throw new IllegalStateException("a proxy meant for a remote client was called in the server");
        }

        @Override
        public void post(ManagerCall call) {
            // only its client's copy posts
        }

        @Override
        public String describe() {
            return "(the client's own)";
        }

        @Serial
        private Object writeReplace() {
            return new SerialForm(null, null);
        }
    }
}
