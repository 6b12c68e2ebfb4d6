package org.multiprocessing4j.internal.manager;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.broker.Addresses;
import org.multiprocessing4j.internal.broker.FailureKind;
import org.multiprocessing4j.internal.broker.ObjectServer;
import org.multiprocessing4j.internal.broker.Request;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ManagerReply;

/**
 * A manager's server as an object of the broker: how processes of its tree reach its
 * {@link ObjectTable}. Each call runs on a virtual thread of its own (a referent's method may
 * block: a custom method that sleeps, say), so the broker's rule that owners never block holds;
 * a caller that is interrupted has its call's thread interrupted. Reference counts change in
 * arrival order, on the link's thread, so that a proxy decoded by a child (whose {@code INCREF}
 * is posted before the child's start is acknowledged) counts before its parent can let go.
 */
public final class ManagerServer implements ObjectServer {
    private final ObjectTable table;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final Map<CallKey, Running> running = new ConcurrentHashMap<>();

    private record CallKey(String from, long id) {
    }

    /** A call being served: its thread, and whether its caller cancelled it. */
    private static final class Running {
        volatile boolean cancelled;
        volatile @Nullable Thread thread;
    }

    /**
     * A server of the table's objects.
     *
     * @param table the objects it serves
     */
    public ManagerServer(ObjectTable table) {
        this.table = table;
    }

    /**
     * Waits until a client asks the manager to shut down.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    @Override
    public void handle(Request r) {
        ManagerCall call;
        try {
            call = ManagerCall.parseFrom(r.payload());
        } catch (InvalidProtocolBufferException e) {
            r.fail(FailureKind.ERROR, "a manager call that does not parse: " + e.getMessage());
            return;
        }
        switch (call.getOp()) {
            case ManagerOps.INCREF, ManagerOps.DECREF, ManagerOps.COUNT -> answer(r, call);
            case ManagerOps.SHUTDOWN -> {
                r.reply();
                shutdown.countDown();
            }
            default -> {
                CallKey key = new CallKey(r.from(), r.id());
                Running run = new Running();
                running.put(key, run);
                Thread.ofVirtual().name("manager-call").start(() -> {
                    run.thread = Thread.currentThread();
                    if (run.cancelled) { // pairs with cancel(): it sets the flag, then reads the thread
                        Thread.currentThread().interrupt();
                    }
                    try {
                        answer(r, call);
                    } finally {
                        running.remove(key);
                    }
                });
            }
        }
    }

    private void answer(Request r, ManagerCall call) {
        try {
            ManagerReply reply = table.handle(call, r.from());
            r.reply(reply.toByteString());
        } catch (InterruptedException e) {
            r.fail(FailureKind.CANCELLED, "the manager's call was interrupted");
        }
    }

    @Override
    public void cancel(String from, long callId) {
        Running run = running.get(new CallKey(from, callId));
        if (run != null) {
            run.cancelled = true;
            Thread t = run.thread;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    @Override
    public void processGone(String address) {
        table.holdersGone(holder -> !RemoteSessions.isRemote(holder) && Addresses.isGone(address, holder));
    }
}
