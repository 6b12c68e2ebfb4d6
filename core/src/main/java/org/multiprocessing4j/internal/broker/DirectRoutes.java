package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ControlLink;
import org.multiprocessing4j.internal.wire.FrameReader;
import org.multiprocessing4j.internal.wire.PostBatch;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.LinkHello;
import org.multiprocessing4j.internal.wire.proto.LinkReady;
import org.multiprocessing4j.spi.Links;

/**
 * The router's direct links, when the transport has {@link Links}: everything this process
 * sends to another process (calls, posts, cancels) moves from the tree to a link of its own as
 * soon as one is set up, and the answers to calls that came on a link go back on it.
 *
 * <p><b>Only where it saves a relay.</b> A process's parent and children share a control link
 * with it: a direct link to them would carry the same frames over another kernel channel, after
 * a set-up and a switch, and cost the process the transport's classes. So they are always
 * reached along the tree; direct links go to processes further away (siblings, grandchildren,
 * cousins).
 *
 * <p><b>Posts</b> on a link are batched: a post joins the {@link PostBatch} the link has not
 * written yet when it goes the same way, so posts that pile up while the link is busy share one
 * frame. Any other frame sent on the route ends the batch.
 *
 * <p><b>Order across the switch.</b> Frames from one process to another must keep their
 * order (a posted {@code ATTACH} must reach the owner before a later call). So for each owner
 * there is one route, and sending and switching happen under the route's monitor: while the
 * link is being set up frames take the tree; the setup asks the owner for its endpoint over the
 * tree, connects, says hello and waits for the owner's {@code LinkReady}; then, in one step,
 * it sends a {@code SWITCH} over the tree and makes the link the route. The owner holds what
 * arrives on the link until that {@code SWITCH} arrives, so every frame sent on the tree before
 * it is handled first.
 *
 * <p><b>Death.</b> Before the router handles a {@code ProcessGone}, it waits (briefly) until
 * the dead process's links have delivered their last frame, so nothing the dead sent before it
 * died is handled after its death. A link that breaks while its owner is alive fails the calls
 * that might have been lost on it, and the route goes back to the tree for good.
 */
final class DirectRoutes {
    static final int OP_ENDPOINT = 2;
    static final int OP_SWITCH = 3;
    private static final long DRAIN_DEAD_MILLIS = 2000;

    private final Router router;
    private final Supplier<@Nullable Links> linksSource;
    /** The largest frame this process's links read, told to those that link here. */
    private final int maxFrameSize;
    private volatile @Nullable Links links;
    private volatile boolean resolved;
    private final java.util.concurrent.atomic.AtomicBoolean resolving = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;
    private @Nullable String endpoint;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, Inbound> inbound = new ConcurrentHashMap<>();

    private enum State { NEW, SETTING_UP, DIRECT, TREE_ONLY }

    DirectRoutes(Router router, Supplier<@Nullable Links> linksSource, int maxFrameSize) {
        this.router = router;
        this.linksSource = linksSource;
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * The links if they exist already; else null, and they are made in the background. (Making
     * them loads the transport's classes, which can take a first call hundreds of
     * milliseconds: that call, and the ones after it, take the tree meanwhile.)
     */
    private @Nullable Links readyLinks() {
        if (resolved) {
            return closed ? null : links;
        }
        if (resolving.compareAndSet(false, true)) {
            Thread.ofVirtual().name("multiprocessing4j-links").start(this::links);
        }
        return null;
    }

    private @Nullable Links links() {
        if (!resolved) {
            synchronized (this) {
                if (!resolved) {
                    try {
                        links = linksSource.get();
                    } catch (RuntimeException noTransport) {
                        links = null;
                    }
                    resolved = true;
                }
            }
        }
        return closed ? null : links;
    }

    /**
     * Sends a frame this process originates, on a direct link when there is one.
     *
     * @param e    the frame (from this process, to another)
     * @param tree sends a frame along the tree
     * @return true if the frame was sent (on a link, or on the tree in order with the switch);
     *         false if the caller should send it along the tree itself
     */
    boolean send(Envelope e, Consumer<Envelope> tree) {
        String to = e.getTo();
        if (e.hasReply()) {
            Inbound in = inbound.get(to);
            return in != null && in.sendReply(e);
        }
        if (!e.hasCall() || (resolved && (links == null || closed)) || Addresses.isNeighbour(router.address(), to)) {
            return false;
        }
        Route r = routes.computeIfAbsent(to, Route::new);
        synchronized (r) {
            Links.Link link = directLink(r);
            if (link != null) {
                try {
                    r.openPosts = null; // a post after this frame must not join a batch before it
                    link.send(e.toByteArray(), true);
                    return true;
                } catch (IOException broken) {
                    r.lost();
                }
            }
            tree.accept(e);
            return true;
        }
    }

    /**
     * Sends a post of this process, on a direct link when there is one, merged into the batch
     * the link has not written yet when it goes the same way.
     *
     * @return true if it was sent (on a link, or on the tree in order with the switch); false
     *         if the caller should post it along the tree itself
     */
    boolean post(String to, long id, long object, int op, long thread, ByteString payload) {
        if ((resolved && (links == null || closed)) || Addresses.isNeighbour(router.address(), to)) {
            return false;
        }
        Route r = routes.computeIfAbsent(to, Route::new);
        synchronized (r) {
            Links.Link link = directLink(r);
            if (link != null) {
                PostBatch open = r.openPosts;
                if (open != null && open.add(to, router.address(), object, op, thread, payload)) {
                    return true;
                }
                PostBatch batch = new PostBatch(to, router.address(), id, object, op, thread, payload, r.batchLimit);
                try {
                    link.send(batch, true);
                    r.openPosts = batch;
                    return true;
                } catch (IOException broken) {
                    r.lost();
                }
            }
            router.postTree(to, id, object, op, thread, payload);
            return true;
        }
    }

    /** Holding the route's monitor: its link if it is direct; else starts setting one up. */
    private Links.@Nullable Link directLink(Route r) {
        if (r.state == State.DIRECT) {
            return r.link;
        }
        if (r.state == State.NEW && readyLinks() != null) {
            r.state = State.SETTING_UP;
            Thread.ofVirtual().name("multiprocessing4j-link-setup").start(() -> setUp(r));
        }
        return null;
    }

    private void setUp(Route r) {
        Links.Link link = null;
        try {
            Links l = links();
            if (l == null) {
                throw new IOException("no links");
            }
            ByteString answer = router.call(r.owner, 0, OP_ENDPOINT, ByteString.EMPTY, -1);
            String ep = answer.toStringUtf8();
            if (ep.isEmpty()) {
                throw new IOException(Router.describe(r.owner) + " has no endpoint");
            }
            Outbound out = new Outbound(r);
            link = l.connect(ep, out);
            link.send(Envelope.newBuilder().setTo(r.owner).setFrom(router.address())
                    .setLinkHello(LinkHello.getDefaultInstance()).build().toByteArray(), true);
            int peerMaxFrameSize = out.ready.get(30, TimeUnit.SECONDS);
            synchronized (r) {
                if (r.state != State.SETTING_UP) {
                    throw new IOException("the route to " + Router.describe(r.owner) + " was closed meanwhile");
                }
                router.sendTree(switchFrame(r.owner));
                r.batchLimit = PostBatch.limitFor(peerMaxFrameSize);
                r.link = link;
                r.state = State.DIRECT;
            }
        } catch (Exception failed) {
            if (failed instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            synchronized (r) {
                if (r.state == State.SETTING_UP) {
                    r.state = State.TREE_ONLY;
                }
            }
            if (link != null) {
                link.close();
            }
        }
    }

    private Envelope switchFrame(String owner) {
        return Envelope.newBuilder().setTo(owner).setFrom(router.address())
                .setCall(org.multiprocessing4j.internal.wire.proto.Call.newBuilder().setObject(0).setOp(OP_SWITCH)
                        .setOneway(true))
                .build();
    }

    /**
     * Answers another process's question for this process's endpoint, listening first if need
     * be (off the calling thread: a link reader must not block on a bind).
     *
     * @param request the call
     */
    void answerEndpoint(Request request) {
        Thread.ofVirtual().name("multiprocessing4j-listen").start(() -> {
            String ep;
            try {
                ep = endpoint();
            } catch (IOException | RuntimeException e) {
                ep = "";
            }
            request.reply(ByteString.copyFrom(ep, StandardCharsets.UTF_8));
        });
    }

    private synchronized String endpoint() throws IOException {
        if (endpoint == null) {
            Links l = links();
            if (l == null) {
                return "";
            }
            endpoint = l.listen(Inbound::new);
        }
        return endpoint;
    }

    /**
     * A process says it sends on its link from now on: what its link delivered so far is
     * handled now, and the rest as it comes.
     *
     * @param from the process
     */
    void switched(String from) {
        Inbound in = inbound.get(from);
        if (in != null) {
            in.activate();
        }
    }

    /**
     * A process (or a subtree) is gone: wait briefly until its links have delivered their last
     * frame, then forget its routes.
     *
     * @param dead the address, or the outside-the-subtree marker
     */
    void processGone(String dead) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_DEAD_MILLIS);
        boolean outside = dead.startsWith("!");
        for (Inbound in : inbound.values()) {
            String peer = in.peer;
            if (peer != null && Addresses.isGone(dead, peer)) {
                if (outside) {
                    in.link.close();
                } else {
                    in.awaitClosed(deadline);
                }
            }
        }
        routes.values().removeIf(r -> {
            if (!Addresses.isGone(dead, r.owner)) {
                return false;
            }
            synchronized (r) {
                Links.Link link = r.link;
                r.state = State.TREE_ONLY;
                r.link = null;
                if (link != null) {
                    link.close();
                }
            }
            return true;
        });
    }

    /** Closes every link after writing what it was given; at exit. */
    void close() {
        closed = true;
        for (Route r : routes.values()) {
            synchronized (r) {
                if (r.link != null) {
                    r.link.close();
                }
                r.state = State.TREE_ONLY;
                r.link = null;
            }
        }
        Links l = links;
        if (l != null) {
            l.close();
        }
    }

    private static @Nullable Envelope parse(byte[] frame) {
        try {
            return FrameReader.parse(frame);
        } catch (InvalidProtocolBufferException garbled) {
            return null;
        }
    }

    /** Guarded by its own monitor. */
    private static final class Route {
        final String owner;
        State state = State.NEW;
        Links.@Nullable Link link;
        /** The last frame sent on the link, if it is posts that may still grow. */
        @Nullable PostBatch openPosts;
        int batchLimit = PostBatch.limitFor(0);

        Route(String owner) {
            this.owner = owner;
        }

        /** The link broke under a send: the tree for good. */
        void lost() {
            state = State.TREE_ONLY;
            link = null;
            openPosts = null;
        }
    }

    /** The answers that come back on a link this process opened. */
    private final class Outbound implements Links.Receiver {
        final Route route;
        /** Completed with the owner's frame limit (0 from a peer that does not say). */
        final CompletableFuture<Integer> ready = new CompletableFuture<>();

        Outbound(Route route) {
            this.route = route;
        }

        @Override
        public void frame(byte[] frame) {
            ControlLink.markLinkReader();
            Envelope e = parse(frame);
            if (e == null) {
                return;
            }
            if (e.hasLinkReady()) {
                ready.complete(e.getLinkReady().getMaxFrameSize());
            } else if (e.hasReply() && e.getTo().equals(router.address())) {
                router.deliverDirect(e);
            }
        }

        @Override
        public void closed(@Nullable Throwable cause) {
            ready.completeExceptionally(new IOException("the link to " + Router.describe(route.owner) + " closed", cause));
            boolean wasDirect;
            synchronized (route) {
                wasDirect = route.state == State.DIRECT;
                route.state = State.TREE_ONLY;
                route.link = null;
            }
            if (wasDirect && !closed) {
                router.linkLost(route.owner, "the direct link to " + Router.describe(route.owner) + " broke"
                        + (cause == null ? "" : ": " + cause));
            }
        }
    }

    /** A link another process opened to this one: its calls, held until it switches. */
    private final class Inbound implements Links.Receiver {
        final Links.Link link;
        volatile @Nullable String peer;
        private boolean active;
        private boolean ended;
        private final ArrayDeque<Envelope> held = new ArrayDeque<>();

        Inbound(Links.Link link) {
            this.link = link;
        }

        @Override
        public void frame(byte[] frame) {
            ControlLink.markLinkReader();
            Envelope e = parse(frame);
            if (e == null) {
                link.close();
                return;
            }
            if (peer == null) {
                if (!e.hasLinkHello() || e.getFrom().equals(router.address())) {
                    link.close();
                    return;
                }
                peer = e.getFrom();
                Inbound old = inbound.put(e.getFrom(), this);
                if (old != null) {
                    old.link.close();
                }
                try {
                    link.send(Envelope.newBuilder().setTo(e.getFrom()).setFrom(router.address())
                            .setLinkReady(LinkReady.newBuilder().setMaxFrameSize(maxFrameSize)).build()
                            .toByteArray(), false);
                } catch (IOException gone) {
                    // its closed() follows
                }
                return;
            }
            synchronized (this) {
                if (!active) {
                    held.addLast(e);
                    return;
                }
            }
            router.deliverDirect(e);
        }

        synchronized void activate() {
            while (!held.isEmpty()) {
                router.deliverDirect(held.pollFirst());
            }
            active = true;
        }

        boolean sendReply(Envelope e) {
            synchronized (this) {
                if (!active || ended) {
                    return false;
                }
            }
            try {
                link.send(e.toByteArray(), false);
                return true;
            } catch (IOException gone) {
                return false;
            }
        }

        @Override
        public synchronized void closed(@Nullable Throwable cause) {
            ended = true;
            String p = peer;
            if (p != null) {
                inbound.remove(p, this);
            }
            notifyAll();
        }

        synchronized void awaitClosed(long deadline) {
            while (!ended) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
