package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ControlLink;
import org.multiprocessing4j.internal.FrameTooLargeException;
import org.multiprocessing4j.internal.wire.proto.Call;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.Failure;
import org.multiprocessing4j.internal.wire.proto.ProcessGone;
import org.multiprocessing4j.internal.wire.proto.Reply;
import org.multiprocessing4j.spi.Links;

/**
 * This process's node in the process tree: it hosts the objects this process owns, sends calls
 * to the owners of others, and forwards frames between its parent and its children.
 *
 * <p>Routing follows addresses (identities): a frame for this process is handled here; for a
 * descendant it goes to the child on the way; for anyone else, to the parent. When a child's
 * link closes, the child and all its descendants are gone: a {@code ProcessGone} is handled
 * here (objects release what they held; calls waiting on them fail) and flooded to every other
 * link, so every owner in the tree hears of it.
 *
 * <p>Thread-safe. Frames are handled on the threads that read links and on callers' threads;
 * nothing here blocks except {@link #call}.
 */
public final class Router {
    /** Object 0 is the router itself. */
    private static final long ROUTER_OBJECT = 0;
    private static final int OP_CANCEL = 1;

    private final String address;
    private volatile @Nullable ControlLink parent;
    private final Map<String, ControlLink> children = new ConcurrentHashMap<>();
    private final Map<Long, ObjectServer> objects = new ConcurrentHashMap<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextObject = new AtomicLong();
    private final AtomicLong nextCall = new AtomicLong();
    private volatile @Nullable ScheduledExecutorService timer;
    private volatile @Nullable DirectRoutes direct;
    /** Addresses known to be gone (a subtree each); their number grows with dead processes. */
    private final java.util.Set<String> gone = ConcurrentHashMap.newKeySet();
    private volatile boolean outsideGone;
    private final java.util.concurrent.atomic.LongAdder relayed = new java.util.concurrent.atomic.LongAdder();

    private record Pending(String owner, CompletableFuture<Reply> reply) {
    }

    /**
     * A router with no links yet.
     *
     * @param address this process's address
     */
    public Router(String address) {
        this.address = address;
    }

    /**
     * {@return how many frames between other processes this process has passed on along the tree
     * (what direct links save); for tests and diagnostics}
     */
    public long relayedFrames() {
        return relayed.sum();
    }

    /** {@return this process's address} */
    public String address() {
        return address;
    }

    /**
     * Lets this process link directly to the processes it calls, when the transport has
     * {@link Links}; without this call everything travels along the tree.
     *
     * @param links made on first need (the transport may not exist yet); null from it means
     *              the transport has none
     */
    public void enableDirectLinks(Supplier<@Nullable Links> links) {
        enableDirectLinks(links, 0);
    }

    /**
     * As {@link #enableDirectLinks(Supplier)}, telling the processes that link here how large a
     * frame this process's links read, so that they merge their posts into frames that size.
     *
     * @param links        made on first need; null from it means the transport has none
     * @param maxFrameSize the largest frame body the links read here (0: say nothing)
     */
    public void enableDirectLinks(Supplier<@Nullable Links> links, int maxFrameSize) {
        direct = new DirectRoutes(this, links, maxFrameSize);
    }

    /**
     * {@return the object's server if this process is the owner and hosts it, else null: for
     * primitives that serve their owner's own calls without a {@link Request}}
     *
     * @param owner  an address
     * @param object an object's id
     */
    public @Nullable ObjectServer hosted(String owner, long object) {
        return owner.equals(address) ? objects.get(object) : null;
    }

    /** Closes the direct links after writing what they were given; at exit. */
    public void closeDirectLinks() {
        DirectRoutes d = direct;
        if (d != null) {
            d.close();
        }
    }

    /**
     * Sets the link to the parent.
     *
     * @param link the link to the parent (children only)
     */
    public void setParent(ControlLink link) {
        this.parent = link;
    }

    /**
     * Routes frames for a child (and its descendants) down its link from now on.
     *
     * @param identity a child that runs its target from now on
     * @param link     the link to it
     */
    public void childAttached(String identity, ControlLink link) {
        children.put(identity, link);
    }

    /**
     * The link to a child closed: the child and its descendants are gone.
     *
     * @param identity the child
     */
    public void childGone(String identity) {
        children.remove(identity);
        processGone(ProcessGone.newBuilder().setAddress(identity).build(), identity);
    }

    /**
     * The link to the parent closed while this process goes on (it was told to outlive its
     * parent): everything outside this process's subtree is unreachable. Calls waiting on it
     * fail, objects release what outsiders held, and the children are told the same.
     */
    public void parentGone() {
        ControlLink up = parent;
        parent = null;
        if (up != null) {
            up.close();
        }
        processGone(ProcessGone.newBuilder().setAddress(Addresses.outside(address)).build(), "parent");
    }

    /**
     * Hosts an object in this process.
     *
     * @param server the object's server
     * @return its id, unique in this process
     */
    public long register(ObjectServer server) {
        long id = nextObject.incrementAndGet();
        objects.put(id, server);
        return id;
    }

    /**
     * Forgets an object: later calls to it fail with {@link FailureKind#NO_SUCH_OBJECT}.
     *
     * @param id the object's id
     */
    public void unregister(long id) {
        objects.remove(id);
    }

    /**
     * Lets an object this process hosts go: it leaves the table, its kept calls fail, and later
     * calls to it fail with {@link FailureKind#NO_SUCH_OBJECT}, as for any unknown object. Does
     * nothing for an id that is not (or no longer) hosted.
     *
     * @param id  the object's id
     * @param why what its callers are told, naming the object
     */
    public void release(long id, String why) {
        ObjectServer server = objects.remove(id);
        if (server != null) {
            server.release(why);
        }
    }

    /** {@return how many objects this process hosts now (for tests and monitoring)} */
    public int objectCount() {
        return objects.size();
    }

    /**
     * Calls an object and waits for the answer. When interrupted, asks the owner to drop the
     * call and waits for that answer: if the call completed meanwhile, its result is returned
     * (with the interrupt flag set again); otherwise {@link InterruptedException} is thrown.
     *
     * @param owner        the owner's address
     * @param object       the object's id there
     * @param op           the operation
     * @param payload      its argument
     * @param timeoutNanos negative: wait as long as it takes; zero: do not wait; else the limit,
     *                     kept by the owner
     * @return the result
     * @throws RemoteFailure        if the owner answered with a failure, or is gone
     * @throws InterruptedException if interrupted before the call completed
     */
    public ByteString call(String owner, long object, int op, ByteString payload, long timeoutNanos)
            throws InterruptedException {
        if (owner.equals(address)) {
            return callHere(object, op, payload, timeoutNanos);
        }
        long id = nextCall.incrementAndGet();
        Pending p = new Pending(owner, new CompletableFuture<>());
        pending.put(id, p);
        try {
            send(Envelope.newBuilder().setTo(owner).setFrom(address)
                    .setCall(Call.newBuilder().setId(id).setObject(object).setOp(op).setPayload(payload)
                            .setTimeoutNanos(timeoutNanos).setThread(Thread.currentThread().threadId()))
                    .build());
            Reply reply;
            try {
                reply = p.reply().get();
            } catch (InterruptedException e) {
                send(Envelope.newBuilder().setTo(owner).setFrom(address)
                        .setCall(Call.newBuilder().setId(nextCall.incrementAndGet()).setObject(ROUTER_OBJECT)
                                .setOp(OP_CANCEL).setPayload(ByteString.copyFrom(
                                        ByteBuffer.allocate(Long.BYTES).putLong(0, id))))
                        .build());
                reply = p.reply().join();
                if (reply.hasFailure() && reply.getFailure().getKind() == FailureKind.CANCELLED) {
                    throw e;
                }
                Thread.currentThread().interrupt();
            }
            if (reply.hasFailure()) {
                Failure f = reply.getFailure();
                throw new RemoteFailure(f.getKind(), f.getMessage());
            }
            return reply.getValue();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a pending call failed unexpectedly", e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    /**
     * {@link #call} to an object this process hosts: handled on the calling thread, as a call
     * that came in a frame would be, but with no envelope, no reply frame and no pending entry;
     * an object that answers at once is not waited for at all.
     */
    private ByteString callHere(long object, int op, ByteString payload, long timeoutNanos)
            throws InterruptedException {
        long id = nextCall.incrementAndGet();
        String from = OnBehalf.caller(address);
        LocalAnswer answer = new LocalAnswer();
        handle(Request.local(this, from, id, object, op, payload, timeoutNanos, answer));
        if (!answer.isDone()) {
            try {
                answer.await();
            } catch (InterruptedException e) {
                cancel(from, id);
                answer.awaitUninterruptibly();
                if (answer.failedWith(FailureKind.CANCELLED)) {
                    throw e;
                }
                Thread.currentThread().interrupt();
            }
        }
        return answer.result();
    }

    /**
     * Sends a call without waiting for, or keeping, its answer (the answer is dropped when it
     * arrives). Usable before this process's links are read, as while a child decodes its
     * target: calls from one process to one owner travel one path, so a posted call reaches
     * the owner before any call this process makes after it.
     *
     * @param owner   the owner's address
     * @param object  the object's id there
     * @param op      the operation
     * @param payload its argument
     */
    public void post(String owner, long object, int op, ByteString payload) {
        long id = nextCall.incrementAndGet();
        if (owner.equals(address)) {
            // from this process itself, also on behalf of a client: a post takes no hold (an
            // unbounded queue's put), and a manager's reference count posted here, for a proxy
            // decoded here, belongs to this process
            handle(Request.local(this, address, id, object, op, payload, 0, null));
            return;
        }
        // No envelope is built: links merge posts into batches (PostBatch) that encode themselves.
        long thread = Thread.currentThread().threadId();
        DirectRoutes d = direct;
        if (d == null || !d.post(owner, id, object, op, thread, payload)) {
            postTree(owner, id, object, op, thread, payload);
        }
    }

    /**
     * Sends a post of this process along the tree, never on a direct link. One that cannot be
     * delivered is dropped, as a posted call that the owner's death loses is.
     */
    void postTree(String owner, long id, long object, int op, long thread, ByteString payload) {
        ControlLink link = linkToward(owner);
        if (link != null) {
            try {
                link.post(owner, address, id, object, op, thread, payload);
            } catch (IOException gone) {
                // the owner, or the way to it, is gone: its ProcessGone follows
            }
        }
    }

    private @Nullable ControlLink linkToward(String to) {
        return Addresses.isSelfOrDescendant(address, to) ? children.get(Addresses.nextHop(address, to)) : parent;
    }

    /**
     * Whether this process has heard that {@code owner} is gone (its {@code ProcessGone}, or
     * one of an ancestor's, or "everything outside this subtree"). A posted call cannot fail
     * on its own, so posting to an owner known to be gone fails in the caller instead.
     *
     * @param owner an address
     * @return true if it is known to be gone
     */
    public boolean isKnownGone(String owner) {
        if (outsideGone && !Addresses.isSelfOrDescendant(address, owner)) {
            return true;
        }
        String a = owner;
        while (true) {
            if (gone.contains(a)) {
                return true;
            }
            int colon = a.lastIndexOf(':');
            if (colon < 0) {
                return false;
            }
            a = a.substring(0, colon);
        }
    }

    /**
     * Routes a frame: handles it here if it is for this process, else forwards it. A call that
     * cannot be delivered is answered with {@link FailureKind#GONE}.
     *
     * @param e the frame
     */
    public void send(Envelope e) {
        String to = e.getTo();
        if (to.equals(address)) {
            deliver(e, null);
            return;
        }
        DirectRoutes d = direct;
        if (d != null && e.getFrom().equals(address) && d.send(e, this::sendTree)) {
            return;
        }
        sendTree(e);
    }

    /**
     * Sends a frame along the tree, never on a direct link.
     *
     * @param e the frame, not for this process
     */
    void sendTree(Envelope e) {
        String to = e.getTo();
        if (!e.getFrom().equals(address)) {
            relayed.increment();
        }
        ControlLink link = linkToward(to);
        try {
            if (link == null) {
                throw new IOException("no process " + describe(to) + " is reachable from " + describe(address));
            }
            link.send(e);
        } catch (FrameTooLargeException tooLarge) {
            tooLarge(e, tooLarge.getMessage());
        } catch (IOException failure) {
            undeliverable(e, describe(to) + " is gone (" + failure.getMessage() + ")");
        }
    }

    /**
     * A frame too large for the next link: a call fails for its caller, a reply becomes a
     * failure for the caller waiting for it; the link and everything else on it go on.
     */
    private void tooLarge(Envelope e, String why) {
        if (e.hasCall()) {
            failCall(e, Reply.newBuilder().setFailure(Failure.newBuilder().setKind(FailureKind.TOO_LARGE)
                    .setMessage("the call to " + describe(e.getTo()) + " was not sent: " + why)).build());
        } else if (e.hasReply() && !e.getReply().hasFailure()) {
            Reply failure = Reply.newBuilder().setId(e.getReply().getId()).setFailure(Failure.newBuilder()
                    .setKind(FailureKind.TOO_LARGE).setMessage("the answer from " + describe(e.getFrom())
                            + " was not sent: " + why)).build();
            send(e.toBuilder().setReply(failure).build());
        } else {
            System.err.println("multiprocessing4j: dropped a frame for " + describe(e.getTo()) + ": " + why);
        }
    }

    /**
     * A frame arrived on a link.
     *
     * @param e         the frame
     * @param fromChild the identity of the child whose link it came on, or null for the parent
     */
    public void onFrame(Envelope e, @Nullable String fromChild) {
        if (e.hasProcessGone()) {
            processGone(e.getProcessGone(), fromChild == null ? "parent" : fromChild);
        } else if (e.getTo().equals(address)) {
            deliver(e, fromChild);
        } else {
            send(e);
        }
    }

    /**
     * A frame arrived on a direct link.
     *
     * @param e the frame
     */
    void deliverDirect(Envelope e) {
        if (e.getTo().equals(address) && (e.hasCall() || e.hasReply())) {
            deliver(e, null);
        }
    }

    /**
     * A direct link broke while its owner may be alive: calls waiting on that owner may have
     * been lost with it, so they fail rather than wait forever.
     *
     * @param owner the owner
     * @param why   for the callers' exceptions
     */
    void linkLost(String owner, String why) {
        for (Pending p : pending.values()) {
            if (p.owner().equals(owner)) {
                p.reply().complete(goneReply(why));
            }
        }
    }

    private void deliver(Envelope e, @Nullable String fromChild) {
        switch (e.getBodyCase()) {
            case CALL -> handleCall(e.getFrom(), e.getCall());
            case REPLY -> {
                Pending p = pending.get(e.getReply().getId());
                if (p != null) {
                    p.reply().complete(e.getReply());
                }
            }
            default -> {
                // Other frames are the control link's (handled before the router sees them).
            }
        }
    }

    private void handleCall(String from, Call call) {
        Request first = Request.received(this, from, call, call.getPayload());
        List<ByteString> more = call.getMorePayloadsList();
        ObjectServer server = call.getObject() == ROUTER_OBJECT ? null : objects.get(call.getObject());
        if (more.isEmpty() || server == null) {
            handle(first);
            for (ByteString payload : more) {
                handle(first.withPayload(payload));
            }
            return;
        }
        // A batch of posts (one-way: nobody waits for an answer), handed to the object whole.
        try {
            server.handleAll(first, more);
        } catch (RuntimeException | Error failure) {
            first.fail(FailureKind.ERROR, describe(address) + " failed to handle op " + first.op() + ": " + failure);
        }
    }

    private void handle(Request request) {
        String from = request.from();
        if (request.object() == ROUTER_OBJECT) {
            DirectRoutes d = direct;
            if (request.op() == OP_CANCEL && request.payload().size() == Long.BYTES) {
                cancel(from, request.payload().asReadOnlyByteBuffer().getLong());
            } else if (request.op() == DirectRoutes.OP_ENDPOINT) {
                if (d != null) {
                    d.answerEndpoint(request);
                } else {
                    request.reply();
                }
            } else if (request.op() == DirectRoutes.OP_SWITCH && d != null) {
                d.switched(from);
            }
            return;
        }
        ObjectServer server = objects.get(request.object());
        if (server == null) {
            request.fail(FailureKind.NO_SUCH_OBJECT, "object " + request.object() + " does not exist in "
                    + describe(address));
            return;
        }
        try {
            server.handle(request);
        } catch (RuntimeException | Error failure) {
            request.fail(FailureKind.ERROR, describe(address) + " failed to handle op " + request.op()
                    + ": " + failure);
        }
    }

    /**
     * A client this process acted for ({@link OnBehalf}) has ended: the objects hosted here
     * release what it held and drop its kept calls, as for a process that is gone. Nothing is
     * sent: only this process's objects ever heard of the client.
     *
     * @param client the client's address ({@link Addresses#session})
     */
    public void clientGone(String client) {
        for (ObjectServer s : objects.values()) {
            s.processGone(client);
        }
    }

    /** Answers the kept call {@code callId} of {@code from} with CANCELLED, wherever it is kept. */
    private void cancel(String from, long callId) {
        objects.values().forEach(s -> s.cancel(from, callId));
    }

    private void processGone(ProcessGone gone, String cameFrom) {
        String dead = gone.getAddress();
        if (dead.equals(Addresses.outside(address))) {
            outsideGone = true;
        } else {
            this.gone.add(dead);
        }
        DirectRoutes d = direct;
        if (d != null) {
            d.processGone(dead);
        }
        for (ObjectServer s : objects.values()) {
            s.processGone(dead);
        }
        for (Pending p : pending.values()) {
            if (Addresses.isGone(dead, p.owner())) {
                p.reply().complete(goneReply(describe(p.owner()) + " is gone"));
            }
        }
        Envelope flood = Envelope.newBuilder().setProcessGone(gone).build();
        ControlLink up = parent;
        if (up != null && !cameFrom.equals("parent")) {
            sendQuietly(up, flood);
        }
        children.forEach((identity, link) -> {
            if (!identity.equals(cameFrom)) {
                sendQuietly(link, flood);
            }
        });
    }

    private void undeliverable(Envelope e, String why) {
        if (e.hasCall()) {
            failCall(e, goneReply(why));
        }
    }

    /** Answers a call that was not sent with {@code failure}: here, or back to its caller. */
    private void failCall(Envelope call, Reply failure) {
        Reply answer = failure.toBuilder().setId(call.getCall().getId()).build();
        if (call.getFrom().equals(address)) {
            Pending p = pending.get(call.getCall().getId());
            if (p != null) {
                p.reply().complete(answer);
            }
        } else {
            send(Envelope.newBuilder().setTo(call.getFrom()).setFrom(address).setReply(answer).build());
        }
    }

    private static Reply goneReply(String why) {
        return Reply.newBuilder().setFailure(Failure.newBuilder().setKind(FailureKind.GONE).setMessage(why)).build();
    }

    private static void sendQuietly(ControlLink link, Envelope e) {
        try {
            link.send(e);
        } catch (IOException gone) {
            // that side is gone too; its own ProcessGone follows
        }
    }

    /**
     * Runs {@code task} once after a delay, on the router's timer thread.
     *
     * @param task  what to run; must not block
     * @param delay how long to wait
     * @param unit  the delay's unit
     * @return the handle to cancel it
     */
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledExecutorService t = timer;
        if (t == null) {
            synchronized (this) {
                t = timer;
                if (t == null) {
                    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                            r -> Thread.ofPlatform().daemon().name("multiprocessing4j-timer").unstarted(r));
                    executor.setRemoveOnCancelPolicy(true);
                    timer = executor;
                    t = executor;
                }
            }
        }
        return t.schedule(task, delay, unit);
    }

    /**
     * {@return how messages name it: {@code MainProcess} or {@code Process-1:2}}
     *
     * @param address a process address
     */
    public static String describe(String address) {
        int session = address.lastIndexOf(Addresses.SESSION);
        if (session >= 0) {
            return "remote client " + address.substring(session + 1) + " of "
                    + describe(address.substring(0, Math.max(0, session - 1)));
        }
        return address.isEmpty() ? "MainProcess" : "Process-" + address;
    }
}
