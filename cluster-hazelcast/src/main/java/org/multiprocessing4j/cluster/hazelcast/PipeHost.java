package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.BrokenPipeException;
import org.multiprocessing4j.ProcessGoneException;

/**
 * The pipes of one process on the {@code hazelcast} transport: an endpoint (a TCP server on
 * the address this process reaches the cluster from) that other processes send to, and, for
 * each end whose home this process is, its unread messages ({@link PipeRecord} says what a
 * home is and how it moves). Messages go from the sender straight to the end's home over one
 * authenticated connection per pair of processes ({@link PipeLinks}); the cluster only keeps
 * who holds what and where each end's home is.
 *
 * <p>On a connection, a request is answered before the next is sent. Requests:
 * <ul>
 *   <li>{@code SEND key end epoch message}: put a message in an end kept here. Answers OK,
 *       MOVED (with the new home's endpoint and epoch), BROKEN (nobody holds the end), or
 *       STALE (no such end here: look the home up again).</li>
 *   <li>{@code CLAIM key end epoch endpoint session desc}: the caller wants to read the end:
 *       unless a thread here is reading it (BUSY) or it moved (STALE), the record is changed to
 *       name the caller ({@link Op.Code#PIPE_MOVE}) and the unread messages are handed over
 *       (OK, the new epoch, the messages); sends that arrive later are answered MOVED.</li>
 *   <li>{@code POKE key}: read the record again now (its last holder closed an end).</li>
 *   <li>{@code GIVE key end epoch messages}: the sender kept the end and let it go (it closed
 *       its handle, or is ending) while this process holds it; the record already names this
 *       process, which keeps the messages from now on, ahead of any sent to it meanwhile.</li>
 * </ul>
 * Each sender waits for the answer to a send before its next, so one sender's messages keep
 * their order across a move: those the old home took are handed over ahead of those sent to
 * the new one.
 */
final class PipeHost implements AutoCloseable {
    private static final byte SEND = 1;
    private static final byte CLAIM = 2;
    private static final byte POKE = 3;
    private static final byte GIVE = 4;
    private static final byte OK = 0;
    private static final byte MOVED = 1;
    private static final byte BROKEN = 2;
    private static final byte BUSY = 3;
    private static final byte STALE = 4;
    private static final byte GONE = 5;
    /** How long a reader waits without news before it reads the record again. */
    private static final long SLICE_NANOS = 1_000_000_000L;
    private static final java.util.concurrent.atomic.AtomicInteger DROP_ANSWERS = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> HOLD_CLAIM_ANSWER =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** How many sending threads a home remembers the last sequence number of. */
    private static final int MAX_SENDERS = 4096;
    /** Each thread's count of the messages it sent, for {@link Home#seqs}. */
    private static final ThreadLocal<long[]> SENT = ThreadLocal.withInitial(() -> new long[1]);
    /** How long a process the record names as an end's home waits for the end's hand-over. */
    private static final long GIVE_WAIT_NANOS = 15_000_000_000L;
    /** How long a home may stay unreachable while the cluster still counts its process in. */
    private static final long UNREACHABLE_NANOS = 30_000_000_000L;

    private final ClusterNode node;
    private final IMap<String, byte[]> states;
    private final ConcurrentHashMap<String, Site> sites = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    /** This thread as a sender ({@code session/thread}), made once per thread, not per message. */
    private final ThreadLocal<String> senderId;
    private final PipeLinks links;

    PipeHost(ClusterNode node) {
        this.node = node;
        this.states = node.hazelcast().getMap(ClusterNode.STATE_MAP);
        this.senderId = ThreadLocal.withInitial(() -> node.session() + "/" + Thread.currentThread().threadId());
        this.links = new PipeLinks(node.sealer().derivedKey(Sealer.Label.PIPE_LINK), bindAddress(), this::handle);
    }

    // ---------------------------------------------------------------- the ends' operations

    /** {@return the key of a new pipe whose two ends this process holds and keeps} */
    String open() {
        String key = "pipe-" + UUID.randomUUID();
        Site site = site(key);
        synchronized (site) {
            site.homes[0] = new Home(0, false);
            site.homes[1] = new Home(0, false);
        }
        ClusterNode.check(node.call(key, Op.Code.CREATE, State.Kind.PIPE.ordinal(), 0, PipeRecord.utf(endpoint())));
        look(site);
        return key;
    }

    /**
     * Sends a message into end {@code to}: to its home, following it when it moved.
     *
     * @throws BrokenPipeException  if nobody holds that end
     * @throws ProcessGoneException if the process that kept its messages ended
     */
    void send(String key, int to, byte[] message) {
        Site site = site(key);
        String sender = senderId.get();
        long seq = ++SENT.get()[0];
        long unreachableSince = 0;
        boolean interrupted = false;
        try {
            while (true) {
                String target;
                long epoch;
                synchronized (site) {
                    Home h = site.homes[to];
                    if (h != null && !h.moved && !h.pending) {
                        checkBroken(site, to);
                        h.add(sender, seq, message);
                        site.notifyAll();
                        return;
                    }
                    if (h != null && h.moved && site.target[to] == null && site.targetEpoch[to] < h.movedEpoch) {
                        // where it moved from here, unless that home was found unreachable: then the record says
                        site.target[to] = h.movedTo;
                        site.targetEpoch[to] = h.movedEpoch;
                    }
                    target = site.target[to];
                    epoch = site.targetEpoch[to];
                }
                if (target == null) {
                    PipeRecord p = PipeRecord.of(look(site));
                    if (!p.lost[to].isEmpty()) {
                        throw new ProcessGoneException(PipeRecord.lostMessage(p, to));
                    }
                    if (p.homeSession[to].equals(node.session())) {
                        synchronized (site) {
                            // kept here, or on its way here: behind what the hand-over brings
                            Home h = pendingForGive(site, to, p.epoch[to]);
                            if (!h.pending) {
                                checkBroken(site, to);
                            }
                            h.add(sender, seq, message);
                            site.notifyAll();
                        }
                        return;
                    }
                    synchronized (site) {
                        site.target[to] = p.homeEndpoint[to];
                        site.targetEpoch[to] = p.epoch[to];
                    }
                    continue;
                }
                PipeLinks.Reply r;
                try {
                    r = links.call(target, out -> {
                        out.writeByte(SEND);
                        out.writeUTF(key);
                        out.writeByte(to);
                        out.writeLong(epoch);
                        out.writeUTF(sender);
                        out.writeLong(seq);
                        out.writeInt(message.length);
                        out.write(message);
                    }, in -> PipeLinks.Reply.read(in));
                } catch (IOException unreachable) {
                    unreachableSince = stillReachable(target, unreachableSince, unreachable);
                    forget(site, to, target);
                    interrupted |= pause(100);
                    continue;
                }
                switch (r.status()) {
                    case OK -> {
                        return;
                    }
                    case MOVED -> {
                        if (r.epoch() <= epoch) {
                            // news older than this sender's: ask the record instead of going back
                            forget(site, to, target);
                            interrupted |= pause(5);
                        } else {
                            synchronized (site) {
                                site.target[to] = r.text();
                                site.targetEpoch[to] = r.epoch();
                            }
                        }
                    }
                    case BROKEN -> throw new BrokenPipeException(r.text());
                    case GONE -> throw new ProcessGoneException(r.text());
                    default -> {
                        forget(site, to, target);
                        interrupted |= pause(5);
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Takes the oldest message at end {@code e}, making this process its home first.
     *
     * @throws EOFException if nothing is left and the other end is closed
     */
    byte[] recv(String key, int e) throws EOFException, InterruptedException {
        Site site = site(key);
        while (true) {
            Home h = home(site, e, -1);
            Object got = take(site, h, e, System.nanoTime() + SLICE_NANOS, true);
            if (got instanceof byte[] message) {
                return message;
            }
            if (got == Boolean.FALSE) {
                look(site); // a slice without news: read the record in case an event was lost
            }
        }
    }

    /**
     * Waits until a message or end of file is at end {@code e}, making this process its home.
     *
     * @param timeoutNanos negative: as long as it takes; zero: only check; positive: the limit
     * @return whether one is there
     */
    boolean poll(String key, int e, long timeoutNanos) throws InterruptedException {
        Site site = site(key);
        long deadline = System.nanoTime() + Math.max(timeoutNanos, 0);
        while (true) {
            Home h = home(site, e, timeoutNanos < 0 ? -1 : deadline);
            if (h == null) {
                return false; // another process reads it, and the time is up
            }
            long sliceEnd = System.nanoTime() + SLICE_NANOS;
            Object got;
            try {
                got = take(site, h, e, timeoutNanos < 0 ? sliceEnd : Math.min(deadline, sliceEnd), false);
            } catch (EOFException never) {
                throw new AssertionError("a poll reports end of file as ready", never);
            }
            if (got == Boolean.TRUE) {
                return true;
            }
            if (got == Boolean.FALSE) {
                if (timeoutNanos >= 0 && System.nanoTime() - deadline >= 0) {
                    return false;
                }
                look(site);
            }
        }
    }

    /**
     * Waits at end {@code e}, whose home this process is, as a reader: a claim is refused
     * meanwhile.
     *
     * @param deadline when to give up, on {@link System#nanoTime()}'s clock
     * @param take     whether to take the message ({@code recv}) or only report it ({@code poll})
     * @return the message (take) or TRUE (poll) when one is there; TRUE also at end of file for a
     *         poll; FALSE when the time is up; null when the end moved away meanwhile
     * @throws EOFException at end of file, for a take
     */
    private Object take(Site site, Home h, int e, long deadline, boolean take) throws EOFException, InterruptedException {
        synchronized (site) {
            h.readers++;
            try {
                while (true) {
                    if (h.moved || site.homes[e] != h) {
                        return null;
                    }
                    if (!h.messages.isEmpty()) {
                        return take ? h.poll() : Boolean.TRUE;
                    }
                    State view = site.view;
                    if (view == null) {
                        throw new ProcessGoneException("the pipe " + site.key + " is gone: the cluster has no record of it");
                    }
                    PipeRecord p = usable(site, view, e);
                    if (p.atEnd(view, e, System.currentTimeMillis())) {
                        if (take) {
                            throw new EOFException("end of file: the other end of the pipe " + site.key + " is closed");
                        }
                        return Boolean.TRUE;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Boolean.FALSE;
                    }
                    site.wait(left / 1_000_000, (int) (left % 1_000_000));
                }
            } finally {
                h.readers--;
            }
        }
    }

    /**
     * {@return the pipe's fields, if a reader may still wait at end {@code e}}
     *
     * @throws IllegalStateException if every holder closed end {@code e}
     * @throws ProcessGoneException  if nobody holds the pipe any more
     */
    private static PipeRecord usable(Site site, State view, int e) {
        PipeRecord p = PipeRecord.of(view);
        if (p.closed[e]) {
            throw new IllegalStateException("the connection " + site.key + " end " + e
                    + " was closed by every process holding it");
        }
        if (view.gone) {
            throw new ProcessGoneException(view.goneMessage(site.key));
        }
        return p;
    }

    /**
     * {@return end {@code e}'s home here, claimed from its present home if it is elsewhere}
     *
     * @param deadline when to give up waiting for a busy home ({@link System#nanoTime()}), or
     *                 -1 for never
     * @return null if the time ran out while another process was reading the end
     */
    private @Nullable Home home(Site site, int e, long deadline) throws InterruptedException {
        synchronized (site) {
            Home h = site.homes[e];
            if (h != null && !h.moved && !h.pending) {
                return h;
            }
        }
        if (deadline < 0) {
            site.claiming[e].lockInterruptibly();
        } else if (!site.claiming[e].tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return null; // another thread of this process is claiming it, and the time is up
        }
        try {
            long pause = 2;
            long unreachableSince = 0;
            boolean answerLost = false;
            while (true) {
                synchronized (site) {
                    Home h = site.homes[e];
                    if (h != null && !h.moved && !h.pending) {
                        return h;
                    }
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                State view = look(site);
                PipeRecord p = usable(site, view, e);
                if (!p.lost[e].isEmpty()) {
                    throw new ProcessGoneException(PipeRecord.lostMessage(p, e));
                }
                if (p.homeSession[e].equals(node.session())) {
                    if (answerLost) {
                        adoptLostHandover(site, e, p); // this process's own claim: granted, its answer lost
                        continue;
                    }
                    if (!awaitGive(site, e, p.epoch[e], deadline)) {
                        return null;
                    }
                    continue;
                }
                Home pending = new Home(p.epoch[e] + 1, true);
                synchronized (site) {
                    site.homes[e] = pending;
                }
                PipeLinks.Reply r;
                try {
                    r = links.call(p.homeEndpoint[e], out -> {
                        out.writeByte(CLAIM);
                        out.writeUTF(site.key);
                        out.writeByte(e);
                        out.writeLong(p.epoch[e]);
                        out.writeUTF(endpoint());
                        out.writeUTF(node.session());
                        out.writeUTF(node.self());
                    }, in -> PipeLinks.Reply.read(in));
                } catch (IOException unreachable) {
                    // Not withdrawn: if the claim was granted before its answer was lost, senders
                    // may have been sent here, and what this home took from them is kept (the
                    // record says which on the next pass; a claim not granted takes no sends).
                    answerLost = true; // if the record names this process now, the claim was granted
                    unreachableSince = stillReachable(p.homeEndpoint[e], unreachableSince, unreachable);
                    if (deadline >= 0 && System.nanoTime() + 100_000_000L - deadline >= 0) {
                        return null;
                    }
                    Thread.sleep(100);
                    continue;
                }
                answerLost = false;
                if (r.status() == OK) {
                    synchronized (site) {
                        pending.handedOver(r.messages(), r.seqs());
                        pending.pending = false;
                        site.notifyAll();
                    }
                    return pending;
                }
                withdraw(site, e, pending);
                if (r.status() == GONE) {
                    throw new ProcessGoneException(r.text());
                }
                if (r.status() == BUSY) {
                    // Another process reads this end now (Python's pipes leave that undefined);
                    // try again a little later, until it stops or the time is up.
                    if (deadline >= 0 && System.nanoTime() + pause * 1_000_000 - deadline >= 0) {
                        return null;
                    }
                    Thread.sleep(pause);
                    pause = Math.min(pause * 2, 50);
                }
            }
        } finally {
            site.claiming[e].unlock();
        }
    }

    /**
     * The record names this process the home of end {@code e} at {@code epoch}, but the end is
     * not kept here yet: another process moved it here and its hand-over ({@code GIVE}) is on
     * its way. Waits for it a little (a send meanwhile is kept, behind what the hand-over
     * brings); one that has not come after {@link #GIVE_WAIT_NANOS} was lost with its giver, and
     * the end is kept here from then on, empty, with that said once.
     *
     * @return false if the caller's deadline passed first
     */
    private boolean awaitGive(Site site, int e, long epoch, long deadline) throws InterruptedException {
        synchronized (site) {
            Home h = pendingForGive(site, e, epoch);
            while (h.pending && site.homes[e] == h) {
                long now = System.nanoTime();
                if (now - h.giveDeadline >= 0) {
                    h.pending = false;
                    site.notifyAll();
                    throw new ProcessGoneException("end " + e + " of the pipe " + site.key + " was handed to this"
                            + " process, but its unread messages never came: the process that kept them ended first");
                }
                if (deadline >= 0 && now - deadline >= 0) {
                    return false;
                }
                long left = Math.min(h.giveDeadline - now, deadline < 0 ? Long.MAX_VALUE : deadline - now);
                left = Math.min(left, 100_000_000L);
                site.wait(left / 1_000_000, (int) (left % 1_000_000));
            }
            return true;
        }
    }

    /**
     * {@return end {@code e}'s home here, kept or waiting for its hand-over at {@code epoch};
     * made, waiting, if there is none} The caller holds the site's monitor.
     */
    private static Home pendingForGive(Site site, int e, long epoch) {
        Home h = site.homes[e];
        if (h != null && !h.moved && (!h.pending || h.epoch == epoch)) {
            return h;
        }
        Home waiting = new Home(epoch, true);
        waiting.giveDeadline = System.nanoTime() + GIVE_WAIT_NANOS;
        site.homes[e] = waiting;
        return waiting;
    }

    /** A claim that failed: sends waiting for it went nowhere (only a granted move redirects to it). */
    private static void withdraw(Site site, int e, Home pending) {
        synchronized (site) {
            if (site.homes[e] == pending && pending.pending) {
                site.homes[e] = null; // (one handed over meanwhile stays)
            }
        }
    }

    /**
     * The record names this process the home of end {@code e}, which this process does not
     * keep: its claim was granted but the answer with the messages never came (the old home
     * ended meanwhile). It keeps the end from now on, with the sends that reached it after the
     * move (a home waiting here for a hand-over that will not come), and says the messages
     * were lost; unless a hand-over installed the end meanwhile.
     */
    private void adoptLostHandover(Site site, int e, PipeRecord p) {
        synchronized (site) {
            Home h = site.homes[e];
            if (h != null && !h.moved && !h.pending) {
                return;
            }
            if (h != null && !h.moved) {
                h.pending = false; // the sends that came after the move stay, in order
            } else {
                site.homes[e] = new Home(p.epoch[e], false);
            }
            site.notifyAll();
        }
        throw new ProcessGoneException("end " + e + " of the pipe " + site.key + " moved to this process, but the"
                + " process that kept it ended before it handed over its unread messages: they were lost");
    }

    /** Makes this process a holder of end {@code e}, turning the handle's ticket into its hold. */
    void attach(String key, int e, String ticket) {
        Answer a = node.call(key, Op.Code.PIPE_ATTACH, e, 0, PipeRecord.utf(ticket, endpoint()));
        if (a.status() == Answer.Status.OK) {
            site(key).update(State.decode(a.data()));
        }
    }

    /** {@return a ticket that holds end {@code e} until the process that decodes the handle attaches} */
    String ticket(String key, int e) {
        String ticket = UUID.randomUUID().toString();
        ClusterNode.check(node.call(key, Op.Code.PIPE_TICKET, e, 0, PipeRecord.utf(ticket)));
        return ticket;
    }

    /** This process no longer holds end {@code e}; the homes of both ends hear it at once. */
    void close(String key, int e) {
        Answer a = node.call(key, Op.Code.PIPE_CLOSE, e, 0, new byte[0]);
        if (a.status() != Answer.Status.OK) {
            return; // gone already
        }
        State view = State.decode(a.data());
        Site site = site(key);
        site.update(view);
        giveAway(site, e);
        PipeRecord p = PipeRecord.of(site.view == null ? view : site.view);
        for (int end = 0; end < 2; end++) {
            if (!p.homeSession[end].equals(node.session()) && !p.homeEndpoint[end].isEmpty()
                    && (end == 0 || !p.homeEndpoint[1].equals(p.homeEndpoint[0]))) {
                try {
                    links.call(p.homeEndpoint[end], out -> {
                        out.writeByte(POKE);
                        out.writeUTF(key);
                    }, in -> PipeLinks.Reply.read(in));
                } catch (IOException | RuntimeException unreachable) {
                    // it ended, or hears of it from the cluster's event within a moment
                }
            }
        }
        if (p.closed[0] && p.closed[1]) {
            drop(site);
        }
    }

    /** {@return how many messages this process took as a home from other processes; for tests} */
    long received() {
        return received.get();
    }

    // ---------------------------------------------------------------- the record, seen here

    private Site site(String key) {
        Site site = sites.get(key);
        if (site != null) {
            return site;
        }
        Site made = new Site(key);
        site = sites.putIfAbsent(key, made);
        if (site != null) {
            return site;
        }
        made.listener = states.addEntryListener(new ViewListener(made), key, true);
        return made;
    }

    private void drop(Site site) {
        if (sites.remove(site.key, site) && site.listener != null) {
            try {
                states.removeEntryListener(site.listener);
            } catch (RuntimeException gone) {
                // the cluster is going
            }
        }
    }

    /** {@return the record, read now; also the view of it here} */
    private State look(Site site) {
        Answer a = ClusterNode.check(node.call(site.key, Op.Code.PIPE_LOOK, 0, 0, new byte[0]));
        State view = State.decode(a.data());
        site.update(view);
        return view;
    }

    private void checkBroken(Site site, int to) {
        State view = site.view;
        if (view != null && PipeRecord.of(view).broken(view, to, System.currentTimeMillis())) {
            throw new BrokenPipeException("end " + to + " of the pipe " + site.key + " is closed: nobody holds it");
        }
    }

    private static void forget(Site site, int to, String target) {
        synchronized (site) {
            if (target.equals(site.target[to])) {
                site.target[to] = null;
            }
        }
    }

    /** Gives up on a home unreachable for {@link #UNREACHABLE_NANOS} whose process the cluster still counts in. */
    private static long stillReachable(String target, long since, IOException e) {
        long now = System.nanoTime();
        if (since == 0) {
            return now;
        }
        if (now - since > UNREACHABLE_NANOS) {
            ProcessGoneException gone = new ProcessGoneException("the process that keeps a pipe's messages, at " + target
                    + ", has been unreachable for " + UNREACHABLE_NANOS / 1_000_000_000 + " s: " + e.getMessage());
            gone.initCause(e);
            throw gone;
        }
        return since;
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    /** The pipe as this process sees it; its monitor guards every field but the listener's id. */
    private static final class Site {
        final String key;
        volatile @Nullable State view;
        private long version = -1;
        final Home[] homes = new Home[2];
        final @Nullable String[] target = new String[2];
        final long[] targetEpoch = new long[2];
        final ReentrantLock[] claiming = {new ReentrantLock(), new ReentrantLock()};
        volatile @Nullable UUID listener;

        Site(String key) {
            this.key = key;
        }

        /** Keeps {@code state} if it is newer than the view here, and wakes the readers. */
        synchronized void update(@Nullable State state) {
            if (state == null) {
                view = null;
                version = Long.MAX_VALUE;
            } else {
                PipeRecord p = PipeRecord.of(state);
                if (p.version < version || version == Long.MAX_VALUE) {
                    return;
                }
                version = p.version;
                view = state;
            }
            notifyAll();
        }
    }

    /** One end's messages, kept here (package-private for {@code PipeHomeTest}). */
    static final class Home {
        /** Guarded by the site's monitor; a claim answered by a hand-over takes the giver's. */
        long epoch;
        private final ArrayDeque<byte[]> messages = new ArrayDeque<>();
        /** Who sent each of {@link #messages}, in step with it ({@link #HANDED} for one another home kept). */
        private final ArrayDeque<Sent> from = new ArrayDeque<>();
        /** Claimed, its messages not handed over yet: takes only the sends the old home redirects. */
        boolean pending;
        boolean moved;
        @Nullable String movedTo;
        long movedEpoch;
        int readers;
        /** For a home waiting for a hand-over: when to stop waiting ({@link System#nanoTime()}). */
        long giveDeadline;
        /**
         * The last sequence number taken from each sending thread ({@code session/thread}), which
         * travels with the messages when the end moves: a send whose answer was lost (the
         * connection broke after the home took it) is sent again, and must not be taken twice.
         */
        final LinkedHashMap<String, Long> seqs = new LinkedHashMap<>(16, 0.75f, true);

        Home(long epoch, boolean pending) {
            this.epoch = epoch;
            this.pending = pending;
        }

        /** Takes a message unless it was taken already; the caller holds the site's monitor. */
        void add(String sender, long seq, byte[] message) {
            Long last = seqs.get(sender);
            if (last != null && seq <= last) {
                return; // sent again: its first answer was lost
            }
            seqs.put(sender, seq);
            if (seqs.size() > MAX_SENDERS) {
                seqs.remove(seqs.keySet().iterator().next()); // the least recent
            }
            messages.add(message);
            from.add(new Sent(sender, seq));
        }

        /** {@return the oldest message, taken} The caller holds the site's monitor. */
        byte @Nullable [] poll() {
            from.poll();
            return messages.poll();
        }

        /** {@return every message, taken, oldest first (for a hand-over)} The caller holds the monitor. */
        List<byte[]> drain() {
            List<byte[]> all = new ArrayList<>(messages);
            messages.clear();
            from.clear();
            return all;
        }

        /**
         * Puts what another home kept ahead of what is here, and learns its senders' numbers.
         * A message taken here meanwhile that the other home had taken too (a send whose answer
         * that home lost, sent again here once the end had moved) is dropped: the numbers the
         * other home took say which.
         */
        void handedOver(List<byte[]> handed, Map<String, Long> handedSeqs) {
            List<byte[]> early = new ArrayList<>(messages);
            List<Sent> earlyFrom = new ArrayList<>(from);
            messages.clear();
            from.clear();
            for (byte[] m : handed) {
                messages.add(m);
                from.add(HANDED);
            }
            for (int i = 0; i < early.size(); i++) {
                Sent sent = earlyFrom.get(i);
                Long taken = handedSeqs.get(sent.sender());
                if (sent != HANDED && taken != null && sent.seq() <= taken) {
                    continue; // the other home took it first, and handed it over above
                }
                messages.add(early.get(i));
                from.add(sent);
            }
            handedSeqs.forEach((sender, seq) -> seqs.merge(sender, seq, Math::max));
        }
    }

    /** Who sent a message kept here, and its number. */
    private record Sent(String sender, long seq) {
    }

    /** The sender of a message another home handed over (already checked there). */
    private static final Sent HANDED = new Sent("", Long.MIN_VALUE);

    /** Keeps a site's view current: Hazelcast calls it at every change of the record. */
    private final class ViewListener implements EntryAddedListener<String, byte[]>, EntryUpdatedListener<String, byte[]>,
            EntryRemovedListener<String, byte[]>, EntryExpiredListener<String, byte[]> {
        private final Site site;

        ViewListener(Site site) {
            this.site = site;
        }

        @Override
        public void entryAdded(EntryEvent<String, byte[]> event) {
            changed(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, byte[]> event) {
            changed(event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, byte[]> event) {
            apply(null);
        }

        @Override
        public void entryExpired(EntryEvent<String, byte[]> event) {
            apply(null);
        }

        /**
         * Updates the site's view, not on Hazelcast's event thread: the site's monitor may be held
         * for a round trip to the cluster (a home changing the record for a move), up to 15 s
         * while a member is replaced, and that thread serves other listeners too. Versions order
         * the updates; a removed record is final.
         */
        private void apply(@Nullable State state) {
            Thread.ofVirtual().name("multiprocessing4j-pipe-view").start(() -> site.update(state));
        }

        private void changed(byte @Nullable [] sealed) {
            if (sealed == null) {
                return;
            }
            State state;
            try {
                state = State.decode(node.sealer().open(Sealer.Label.STATE, sealed, "the record of " + site.key));
            } catch (AuthenticationException | IllegalArgumentException forged) {
                return; // not ours: ignored, as every process of ours ignores it
            }
            apply(state);
            if (state.gone) {
                // Nobody holds either end: nothing here will be read or sent to again. The listener
                // goes off Hazelcast's event thread, which must not wait for the cluster.
                Thread.ofVirtual().name("multiprocessing4j-pipe-drop").start(() -> drop(site));
            }
        }
    }

    // ---------------------------------------------------------------- other processes' requests

    /** Answers another process's request ({@link PipeLinks.Handler}). */
    private void handle(int type, DataInputStream in, DataOutputStream out, String peer) throws IOException {
        switch (type) {
            case SEND -> served(out, in);
            case CLAIM -> claimed(out, in);
            case POKE -> poked(out, in);
            case GIVE -> given(out, in);
            default -> throw new IOException(peer + " sent a pipe request of unknown type " + type);
        }
    }

    private void served(DataOutputStream out, DataInputStream in) throws IOException {
        String key = in.readUTF();
        int to = in.readUnsignedByte() & 1;
        long epoch = in.readLong();
        String sender = in.readUTF();
        long seq = in.readLong();
        byte[] message = PipeLinks.readMessage(in);
        Site site = sites.get(key);
        if (site == null) {
            site = site(key); // a hand-over to this process may be on its way: the record decides
        }
        if (!accept(site, to, epoch, sender, seq, message, out)) {
            // Not kept here as far as this process knows: the sender may know better (the end was
            // handed here and the hand-over is on its way), so the record decides.
            PipeRecord p;
            try {
                p = PipeRecord.of(look(site));
            } catch (RuntimeException gone) {
                PipeLinks.Reply.write(out, STALE, "", 0, null);
                return;
            }
            if (p.homeSession[to].equals(node.session()) && p.epoch[to] == epoch) {
                synchronized (site) {
                    pendingForGive(site, to, epoch);
                }
            }
            if (!accept(site, to, epoch, sender, seq, message, out)) {
                PipeLinks.Reply.write(out, STALE, "", 0, null);
            }
        }
    }

    /**
     * Takes a sent message if end {@code to} is kept here, or waits here for its hand-over at
     * the sender's epoch; answers a sender whose news is older with where the end went.
     *
     * @return false if neither: the caller asks the record, or answers STALE
     */
    private boolean accept(Site site, int to, long epoch, String sender, long seq, byte[] message, DataOutputStream out)
            throws IOException {
        synchronized (site) {
            Home h = site.homes[to];
            if (h != null && h.moved && epoch < h.movedEpoch) {
                PipeLinks.Reply.write(out, MOVED, h.movedTo, h.movedEpoch, null);
                return true;
            }
            if (h == null || h.moved || h.pending && h.epoch != epoch) {
                return false;
            }
            if (!h.pending) {
                State view = site.view;
                if (view != null && PipeRecord.of(view).broken(view, to, System.currentTimeMillis())) {
                    PipeLinks.Reply.write(out, BROKEN, "end " + to + " of the pipe " + site.key
                            + " is closed: nobody holds it", 0, null);
                    return true;
                }
            }
            h.add(sender, seq, message);
            received.incrementAndGet();
            site.notifyAll();
        }
        if (DROP_ANSWERS.get() > 0 && DROP_ANSWERS.getAndDecrement() > 0) {
            throw new IOException("a test dropped the answer to a send it took");
        }
        PipeLinks.Reply.write(out, OK, "", 0, null);
        return true;
    }

    /**
     * For tests: the next {@code n} sends this process takes as a home go unanswered, their
     * connections closed as if broken after the message was taken (the sender sends it again).
     */
    static void dropAnswers(int n) {
        DROP_ANSWERS.set(n);
    }

    /** {@return how many of the answers {@link #dropAnswers} asked for are still to drop} */
    static int answersToDrop() {
        return Math.max(0, DROP_ANSWERS.get());
    }

    private void claimed(DataOutputStream out, DataInputStream in) throws IOException {
        String key = in.readUTF();
        int e = in.readUnsignedByte() & 1;
        long epoch = in.readLong();
        String toEndpoint = in.readUTF();
        String toSession = in.readUTF();
        String toDesc = in.readUTF();
        Site site = sites.get(key);
        if (site == null) {
            PipeLinks.Reply.write(out, STALE, "", 0, null);
            return;
        }
        List<byte[]> handed;
        Map<String, Long> seqs;
        long moved;
        synchronized (site) {
            Home h = site.homes[e];
            if (h == null || h.moved || h.pending || h.epoch != epoch) {
                PipeLinks.Reply.write(out, STALE, "", 0, null);
                return;
            }
            if (h.readers > 0) {
                PipeLinks.Reply.write(out, BUSY, "", 0, null);
                return;
            }
            Answer a = moveAway(site, e, h, toSession, toEndpoint, toDesc);
            if (a.status() == Answer.Status.GONE) {
                PipeLinks.Reply.write(out, GONE, a.text(), 0, null);
                return;
            }
            if (a.status() != Answer.Status.OK) {
                PipeLinks.Reply.write(out, STALE, a.text(), 0, null);
                return;
            }
            moved = a.number();
            handed = h.drain();
            seqs = new java.util.HashMap<>(h.seqs);
        }
        java.util.concurrent.CountDownLatch hold = HOLD_CLAIM_ANSWER.getAndSet(null);
        if (hold != null) {
            try {
                hold.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("a test dropped the answer to a claim it granted");
        }
        PipeLinks.Reply.write(out, OK, "", moved, handed, seqs);
    }

    /**
     * For tests: the next claim this process grants as a home is answered only once
     * {@code release} is counted down, and then not at all (its connection closed as if broken):
     * the messages the answer carried are lost, and the claimer finds out from the record.
     */
    static void holdClaimAnswer(java.util.concurrent.@Nullable CountDownLatch release) {
        HOLD_CLAIM_ANSWER.set(release);
    }

    /**
     * Moves end {@code e}, kept here in {@code h}, to another process in the record; on success
     * {@code h} answers later sends "moved". The caller holds the site's monitor, so no send is
     * taken here between the move and the handover of the messages.
     *
     * @return the move's answer: OK with the new epoch, or why not
     */
    private Answer moveAway(Site site, int e, Home h, String toSession, String toEndpoint, String toDesc)
            throws IOException {
        var data = new java.io.ByteArrayOutputStream(64);
        try (var d = new DataOutputStream(data)) {
            d.writeLong(h.epoch);
            d.writeUTF(toSession);
            d.writeUTF(toEndpoint);
            d.writeUTF(toDesc);
        }
        Answer a;
        try {
            a = node.call(site.key, Op.Code.PIPE_MOVE, e, 0, data.toByteArray());
        } catch (RuntimeException failed) {
            // The move may have been made before its answer was lost: the record says. Two
            // homes of one end must never both take sends.
            State now;
            try {
                now = look(site);
            } catch (RuntimeException alsoFailed) {
                failed.addSuppressed(alsoFailed);
                throw failed;
            }
            PipeRecord p = PipeRecord.of(now);
            if (!p.homeSession[e].equals(toSession) || p.epoch[e] != h.epoch + 1) {
                throw failed;
            }
            a = new Answer(Answer.Status.OK, p.epoch[e], "", now.encode());
        }
        if (a.status() == Answer.Status.OK) {
            h.moved = true;
            h.movedTo = toEndpoint;
            h.movedEpoch = a.number();
            site.update(State.decode(a.data()));
        }
        return a;
    }

    /**
     * This process lets go of end {@code e} (it closed its handle, or it is ending) while others
     * hold it: if it keeps the end's messages, it hands them and the end to one of them, so they
     * are not lost with this process. Best effort: a holder that cannot take it loses them, as
     * one that died would.
     */
    private void giveAway(Site site, int e) {
        State view = site.view;
        if (view == null || view.gone) {
            return;
        }
        PipeRecord p = PipeRecord.of(view);
        String to = p.closed[e] ? null : p.otherHolder(view, e, node.session());
        if (to == null) {
            return; // nobody else holds it (or only handles on their way): nothing to hand over to
        }
        String endpoint = p.endpoints.get(to);
        State.Hold hold = view.holders.get(to + "/" + e);
        List<byte[]> handed;
        Map<String, Long> seqs;
        long epoch;
        try {
            synchronized (site) {
                Home h = site.homes[e];
                if (h == null || h.moved || h.pending) {
                    return;
                }
                Answer a = moveAway(site, e, h, to, endpoint, hold == null ? to : hold.desc());
                if (a.status() != Answer.Status.OK) {
                    return;
                }
                epoch = a.number();
                handed = h.drain();
                seqs = new java.util.HashMap<>(h.seqs);
            }
            links.call(endpoint, out -> {
                out.writeByte(GIVE);
                out.writeUTF(site.key);
                out.writeByte(e);
                out.writeLong(epoch);
                PipeLinks.writeMessages(out, handed);
                PipeLinks.writeSeqs(out, seqs);
            }, in -> PipeLinks.Reply.read(in));
        } catch (IOException | RuntimeException lost) {
            // the holder went meanwhile: the record names it, and its end reports the loss
        }
    }

    /** Another process handed this one an end and its messages ({@link #giveAway}). */
    private void given(DataOutputStream out, DataInputStream in) throws IOException {
        String key = in.readUTF();
        int e = in.readUnsignedByte() & 1;
        long epoch = in.readLong();
        List<byte[]> handed = PipeLinks.readMessages(in);
        Map<String, Long> handedSeqs = PipeLinks.readSeqs(in);
        Site site = site(key);
        synchronized (site) {
            Home h = site.homes[e];
            if (h != null && h.moved && h.movedEpoch > epoch) {
                // late: the end moved on from here since (this process said the messages were lost)
                PipeLinks.Reply.write(out, OK, "", 0, null);
                return;
            }
            if (h == null || h.moved) {
                h = new Home(epoch, false);
                site.homes[e] = h;
            } else {
                // waiting for it, or a claim of this process's was under way (answered here
                // instead), or the end was taken as lost here meanwhile (its messages come first)
                h.pending = false;
                h.epoch = Math.max(h.epoch, epoch);
            }
            h.handedOver(handed, handedSeqs);
            site.notifyAll();
        }
        PipeLinks.Reply.write(out, OK, "", 0, null);
    }

    private void poked(DataOutputStream out, DataInputStream in) throws IOException {
        Site site = sites.get(in.readUTF());
        if (site != null) {
            try {
                look(site);
            } catch (ProcessGoneException gone) {
                site.update(null); // the cluster has no record of it: nobody holds the pipe
            } catch (RuntimeException notNow) {
                // the cluster cannot answer now; the listener's next event, or a reader's slice, will
            }
        }
        PipeLinks.Reply.write(out, OK, "", 0, null);
    }

    /**
     * {@return the address other processes reach this one at: the one its cluster connection
     * comes from} (a member's own address; a client's side of its connection), so a pipe binds
     * nothing the cluster's settings did not open; loopback when Hazelcast does not say.
     */
    private InetAddress bindAddress() {
        SocketAddress local = node.hazelcast().getLocalEndpoint().getSocketAddress();
        if (local instanceof InetSocketAddress inet && inet.getAddress() != null && !inet.getAddress().isAnyLocalAddress()) {
            return inet.getAddress();
        }
        return InetAddress.getLoopbackAddress();
    }

    /** {@return this process's endpoint, {@code host:port}, listening from the first call} */
    String endpoint() {
        return links.endpoint();
    }

    /**
     * At this process's end: every end whose messages it keeps and that others hold is handed
     * to one of them first, then the connections close.
     */
    @Override
    public void close() {
        for (Site site : sites.values()) {
            for (int e = 0; e < 2; e++) {
                giveAway(site, e);
            }
        }
        links.close();
    }
}
