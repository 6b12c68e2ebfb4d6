package org.multiprocessing4j.internal.manager;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.EOFException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ManagerReply;

/**
 * One remote client connection to a manager's server. Its reader (the caller of {@link #run})
 * takes frames; calls go to the connection's one executor thread, which answers each before
 * the client sends the next; a {@code CANCEL} interrupts the call it names if that is the one
 * running. A session's primary connection carries only {@code INCREF} and {@code DECREF}, never
 * answered, and its end ends the session: its references are given back.
 */
final class RemoteConnection {
    private final ObjectTable table;
    private final Connection connection;
    private final String holder;
    private final boolean primary;
    private final SynchronousQueue<ManagerCall> calls = new SynchronousQueue<>();
    private final Thread executor;
    private volatile long running;
    private volatile boolean cancelled;

    RemoteConnection(ObjectTable table, Connection connection, String holder, boolean primary) {
        this.table = table;
        this.connection = connection;
        this.holder = holder;
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
                case ManagerOps.INCREF, ManagerOps.DECREF -> table.handle(call, holder);
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

    /** The connection ended: stop the executor; a primary connection's end ends its session. */
    void ended() {
        executor.interrupt();
        if (primary) {
            table.holdersGone(holder::equals);
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
                        : table.handle(call, holder);
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

    private boolean send(ManagerReply reply) {
        try {
            connection.sendBytes(reply.toByteArray());
            return true;
        } catch (RuntimeException closed) {
            return false;
        }
    }
}
