package org.multiprocessing4j.internal.manager;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.net.SocketAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ManagerReply;

/**
 * A remote manager's server, reached over authenticated connections (core's {@link Client}):
 * one per thread that calls (made on its first call; those of ended threads are closed when
 * the next is made), and a primary one that carries reference changes and whose end tells the
 * server this session is over. Proxies of a remote manager belong to the JVM that connected:
 * they cannot be passed to another process.
 */
public final class RemoteLink implements ServerLink {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient SocketAddress address;
    private final transient byte[] authkey;
    private final transient String session = UUID.randomUUID().toString();
    private final transient Connection primary;
    private final transient Map<Thread, Connection> connections = new ConcurrentHashMap<>();
    private final transient AtomicLong nextCall = new AtomicLong();
    private transient volatile boolean closed;

    private RemoteLink(SocketAddress address, byte[] authkey) throws IOException {
        this.address = address;
        this.authkey = authkey.clone();
        this.primary = open(true);
    }

    /**
     * Connects to a remote manager's server.
     *
     * @param address where it serves
     * @param authkey its key
     * @return the link
     * @throws IOException if it cannot be reached
     * @throws org.multiprocessing4j.AuthenticationException if the keys differ
     */
    public static RemoteLink connect(SocketAddress address, byte[] authkey) throws IOException {
        return new RemoteLink(address, authkey);
    }

    @Override
    public ManagerReply call(ManagerCall call) throws InterruptedException {
        Connection c = connection();
        long id = nextCall.incrementAndGet();
        try {
            c.sendBytes(call.toBuilder().setCallId(id).build().toByteArray());
        } catch (RuntimeException e) {
            throw gone(c, e.toString());
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    ManagerReply reply = ManagerReply.parseFrom(c.recvBytes());
                    if (interrupted && reply.hasCancelled()) {
                        interrupted = false;
                        throw new InterruptedException("interrupted while calling the manager " + describe());
                    }
                    return reply;
                } catch (InterruptedException e) {
                    if (interrupted) {
                        continue; // a cancel is on its way already
                    }
                    interrupted = true;
                    try {
                        c.sendBytes(ManagerCall.newBuilder().setOp(ManagerOps.CANCEL).setCallId(id).build().toByteArray());
                    } catch (RuntimeException sendFailed) {
                        throw gone(c, sendFailed.toString());
                    }
                }
            }
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
            synchronized (primary) {
                primary.sendBytes(call.toByteArray());
            }
        } catch (RuntimeException gone) {
            // the server is gone: nothing to release any more
        }
    }

    @Override
    public String describe() {
        return "at " + address;
    }

    /** Closes every connection: the server gives back this session's references. */
    public void close() {
        closed = true;
        connections.values().forEach(Connection::close);
        connections.clear();
        primary.close();
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
            c = open(false);
        } catch (IOException e) {
            throw new ProcessGoneException("the manager " + describe() + " cannot be reached: " + e.getMessage());
        }
        connections.put(t, c);
        return c;
    }

    private Connection open(boolean isPrimary) throws IOException {
        Connection c = Client.connect(address, authkey);
        c.sendBytes(ManagerCall.newBuilder().setOp(ManagerOps.HELLO).setType(session).setObject(isPrimary ? 1 : 0)
                .build().toByteArray());
        return c;
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
    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException("a proxy of the remote manager " + describe()
                + " belongs to the JVM that connected: it cannot be passed to another process; "
                + "connect there with Manager.connect(address, authkey)");
    }
}
