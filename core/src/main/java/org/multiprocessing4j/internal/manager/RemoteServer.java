package org.multiprocessing4j.internal.manager;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.EOFException;
import java.io.Serial;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Listener;
import org.multiprocessing4j.MultiprocessingException;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.broker.Addresses;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ManagerReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager's server as remote clients reach it: a {@link Listener} (authenticated, loopback
 * unless asked) whose every connection is served by a {@link RemoteConnection}. A client makes
 * one connection per thread that calls, so each client thread has a server thread of its own,
 * as in Python: calls of one client thread run on one server thread, in order, and an owner-aware
 * object (a reentrant lock) sees the same thread each time.
 */
public final class RemoteServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteServer.class);
    private static final int ENDED_REMEMBERED = 10_000;

    private final ObjectTable table;
    private final Listener listener;
    private final String name;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Map<String, RemoteSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextSession = new AtomicLong();
    /** The names of the latest sessions that ended: a late connection of one is refused. */
    private final Set<String> ended = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ENDED_REMEMBERED;
        }
    });
    private volatile boolean closed;

    private RemoteServer(ObjectTable table, Listener listener, String name) {
        this.table = table;
        this.listener = listener;
        this.name = name;
    }

    /**
     * Serves {@code table} on {@code listener} until {@link #close()}.
     *
     * @param table    the objects
     * @param listener where clients connect
     * @param name     the manager's name, for logs
     * @return the running server
     */
    public static RemoteServer start(ObjectTable table, Listener listener, String name) {
        RemoteServer s = new RemoteServer(table, listener, name);
        Thread.ofPlatform().daemon().name("multiprocessing4j-manager-accept").start(s::acceptLoop);
        return s;
    }

    /** {@return where clients connect} */
    public SocketAddress address() {
        return listener.address();
    }

    private void acceptLoop() {
        while (!closed) {
            Connection c;
            try {
                c = listener.accept();
            } catch (InterruptedException | IllegalStateException e) {
                return; // closed
            }
            open.add(c);
            Thread.ofVirtual().name("manager-connection").start(() -> serve(c));
        }
    }

    private void serve(Connection c) {
        RemoteConnection rc = null;
        try {
            ManagerCall hello = ManagerCall.parseFrom(c.recvBytes());
            if (hello.getOp() != ManagerOps.HELLO || hello.getType().isEmpty()) {
                LOG.warn("{}: a connection that did not say hello first; closing it", name);
                return;
            }
            synchronized (ended) {
                if (ended.contains(hello.getType())) {
                    return; // a late connection of a client that is gone
                }
            }
            RemoteSession session = sessions.computeIfAbsent(hello.getType(), n -> new RemoteSession(
                    RemoteSessions.holder(n), Addresses.session(ProcessRuntime.current().identity(),
                    nextSession.incrementAndGet())));
            rc = new RemoteConnection(table, c, session, hello.getObject() == 1);
            if (!session.add(rc)) {
                return; // a connection of a session that has ended
            }
            c.sendBytes(ManagerReply.newBuilder().setWelcome(name).build().toByteArray());
            rc.run();
        } catch (EOFException | InterruptedException | InvalidProtocolBufferException | MultiprocessingException
                 | IllegalStateException e) {
            if (!closed) {
                LOG.debug("{}: a connection ended: {}", name, e.toString());
            }
        } finally {
            open.remove(c);
            if (rc != null) {
                rc.stop();
                if (rc.primary() || rc.session().remove(rc)) {
                    end(rc.session());
                }
            }
            c.close();
        }
    }

    /**
     * A session's primary connection ended (the client closed its manager, or its JVM died):
     * its other connections are stopped, then the table drops its references and the router's
     * objects release what it held (a lock passes to the next waiter, who is told).
     */
    private void end(RemoteSession session) {
        synchronized (ended) {
            ended.add(RemoteSessions.name(session.holder()));
        }
        sessions.values().remove(session);
        for (RemoteConnection other : session.end()) {
            other.stop();
        }
        table.holdersGone(session.holder()::equals);
        ProcessRuntime.current().router().clientGone(session.address());
    }

    /** Stops listening and closes every connection: clients waiting on a call see it gone. */
    @Override
    public void close() {
        closed = true;
        listener.close();
        for (Connection c : open) {
            c.close();
        }
    }
}
