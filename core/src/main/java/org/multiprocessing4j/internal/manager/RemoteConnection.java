package org.multiprocessing4j.internal.manager;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.internal.broker.OnBehalf;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ManagerReply;

/**
 * One remote client connection to a manager's server. Its reader (the caller of {@link #run})
 * takes frames; calls go to the connection's one executor thread, which answers each before
 * the client sends the next; a {@code CANCEL} interrupts the call it names if that is the one
 * running. Calls run on behalf of the session ({@link OnBehalf}): objects of the server's
 * router see the session's address and the executor's thread as the caller, and warnings for
 * the caller travel back in the reply. A session's primary connection carries only
 * {@code INCREF} and {@code DECREF}, never answered, and its end ends the session (see
 * {@link RemoteServer}).
 */
final class RemoteConnection {
    /** How long ending a session waits for a connection's call to give up. */
    private static final long STOP_MILLIS = 2_000;

    private final ObjectTable table;
    private final Connection connection;
    private final RemoteSession session;
    private final boolean primary;
    private final SynchronousQueue<ManagerCall> calls = new SynchronousQueue<>();
    private final Thread executor;
    private volatile long running;
    private volatile boolean cancelled;

    RemoteConnection(ObjectTable table, Connection connection, RemoteSession session, boolean primary) {
        this.table = table;
        this.connection = connection;
        this.session = session;
        this.primary = primary;
        this.executor = Thread.ofVirtual().name("manager-remote-call").unstarted(this::execute);
    }

    /**
     * Reads frames until the client closes the connection.
     *
     * @throws EOFException                   when it does
     * @throws InterruptedException           if interrupted
     * @throws InvalidProtocolBufferException if the client sends what does not parse
     */
    void run() throws EOFException, InterruptedException, InvalidProtocolBufferException {
        executor.start();
        while (true) {
            ManagerCall call = ManagerCall.parseFrom(connection.recvBytes());
            switch (call.getOp()) {
                case ManagerOps.INCREF, ManagerOps.DECREF -> table.handle(call, session.holder());
                case ManagerOps.CANCEL -> {
                    if (running == call.getCallId()) {
                        cancelled = true;
                        executor.interrupt();
                    }
                }
                default -> {
                    cancelled = false;
                    running = call.getCallId(); // before the executor has it: a CANCEL may follow at once
                    while (!calls.offer(call, 1, TimeUnit.SECONDS)) {
                        if (!executor.isAlive()) {
                            throw new EOFException("the connection's executor ended (its answers cannot be sent)");
                        }
                    }
                }
            }
        }
    }

    /** {@return the session it belongs to} */
    RemoteSession session() {
        return session;
    }

    /** {@return whether this is its session's primary connection} */
    boolean primary() {
        return primary;
    }

    /**
     * Stops serving: closes the connection and interrupts the call in progress (a waiting one
     * is cancelled; one that completed meanwhile keeps its result, which the session's end then
     * releases), and waits a little for it to end.
     */
    void stop() {
        connection.close();
        executor.interrupt();
        try {
            executor.join(STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void execute() {
        while (true) {
            ManagerCall call;
            try {
                call = calls.take();
            } catch (InterruptedException e) {
                return;
            }
            ManagerReply reply;
            try {
                reply = call.getOp() == ManagerOps.SHUTDOWN
                        ? ManagerReply.newBuilder().setError("a remote client cannot shut the manager down; "
                                + "the process that started it does").build()
                        : onBehalf(call);
            } catch (InterruptedException e) {
                reply = ManagerReply.newBuilder().setCancelled(true).build();
            }
            running = 0;
            boolean stale = Thread.interrupted() && !cancelled; // the connection is ending
            if (stale || !send(reply)) {
                return;
            }
        }
    }

    private ManagerReply onBehalf(ManagerCall call) throws InterruptedException {
        List<String> warnings = new ArrayList<>();
        ManagerReply reply = OnBehalf.run(session.address(), warnings::add, () -> table.handle(call, session.holder()));
        return warnings.isEmpty() ? reply : reply.toBuilder().addAllWarnings(warnings).build();
    }

    private boolean send(ManagerReply reply) {
        try {
            connection.sendBytes(reply.toByteArray());
            return true;
        } catch (IllegalArgumentException tooLarge) {
            // The connection is intact: the caller hears why instead of waiting for ever.
            return send(ManagerReply.newBuilder().setError("the manager's answer was not sent: "
                    + tooLarge.getMessage()).build());
        } catch (RuntimeException closed) {
            return false;
        }
    }
}
