package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.BrokenBarrierException;
import org.multiprocessing4j.MultiprocessingException;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.spi.Transport;

/**
 * This process in the cluster: a Hazelcast client of the agents, or — in the root of a tree
 * with nothing configured — an embedded member that the tree's children join as clients. One
 * per process, made by {@link HazelcastTransport} when the first primitive needs it. It runs
 * the operations of every primitive of this process: sealed, on the member that owns the
 * record, waiting (when they must) until the record changes.
 */
final class ClusterNode implements AutoCloseable {
    /** The map of every primitive's state record. */
    static final String STATE_MAP = "multiprocessing4j.state";
    /** Operations that only read: they need no id to be sent again ({@link #idFor}). */
    private static final java.util.Set<Op.Code> READS = java.util.EnumSet.of(Op.Code.LOCK_IS_LOCKED, Op.Code.LOCK_HELD,
            Op.Code.LOCK_FENCE,
            Op.Code.SEM_VALUE, Op.Code.EVENT_IS_SET, Op.Code.EVENT_WAIT, Op.Code.QUEUE_JOIN, Op.Code.COND_WAIT,
            Op.Code.BARRIER_POLL, Op.Code.BARRIER_N_WAITING, Op.Code.BARRIER_IS_BROKEN, Op.Code.DATA_GET,
            Op.Code.DATA_READ);
    /**
     * A pipe's operations: each is harmless to run twice ({@link PipeRecord}: a move sent again
     * answers as the first did), so they need no id, and their answers (the whole record) are
     * not remembered in the record.
     */
    private static final java.util.Set<Op.Code> PIPE_OPS = java.util.EnumSet.range(Op.Code.PIPE_LOOK, Op.Code.PIPE_MOVE);
    /** How long an operation is sent again while the cluster replaces a lost member. */
    private static final long RETRY_NANOS = 15_000_000_000L;
    /** How long a client that lost its member may take to stop, if it finds no other. */
    private static final long GIVE_UP_NANOS = (Configs.CLUSTER_CONNECT_TIMEOUT_MILLIS + 15_000L) * 1_000_000L;
    private final HazelcastInstance hz;
    private final @Nullable SessionWatch sessionWatch;
    private final boolean treeFileOwner;
    private final String session;
    private final String self;
    private final Sealer sealer;
    private final IMap<String, byte[]> states;
    private final ConcurrentHashMap<String, Watch> watches = new ConcurrentHashMap<>();
    private @Nullable PipeHost pipes;

    private ClusterNode(HazelcastInstance hz, @Nullable SessionWatch sessionWatch, boolean treeFileOwner,
                        String session, Sealer sealer) {
        this.hz = hz;
        this.sessionWatch = sessionWatch;
        this.treeFileOwner = treeFileOwner;
        this.session = session;
        this.sealer = sealer;
        this.states = hz.getMap(STATE_MAP);
        this.self = describeSelf();
    }

    /**
     * Joins the tree's cluster. If a process of the tree has joined it already (its live
     * {@link TreeFile} exists), as a client of the same cluster. Else as the settings say:
     * agents are joined as a client; with none, the root starts an embedded member in itself,
     * and a child — whose root has not needed the cluster — starts a {@link TreeAgent}, which
     * lives as long as the root. A file lock keeps two processes of one tree from both starting
     * one.
     *
     * @return this process's node
     */
    @SuppressWarnings("try") // the lock is held for the block's sake, not used in it
    static ClusterNode start() {
        ProcessRuntime runtime = ProcessRuntime.current();
        try (TreeFile.Lock lock = TreeFile.lock()) {
            TreeFile tree = TreeFile.readIfPresent();
            if (tree != null && tree.hostAlive()) {
                return client(tree, runtime, false);
            }
            TreeFile.sweepDead();
            ClusterSettings settings = ClusterSettings.fromSystemProperties();
            String problem = settings.problem();
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
            byte[] key = settings.authkeyFile() == null ? runtime.authkey() : settings.readAuthkey();
            if (!settings.embedded()) {
                String name = settings.clusterName() == null ? ClusterSettings.DEFAULT_CLUSTER_NAME : settings.clusterName();
                return client(new TreeFile(name, settings.members(), settings.authkeyFile(), 0, 0).write(), runtime, true);
            }
            ProcessRuntime.RootInfo root = runtime.root();
            String name = settings.clusterName() != null ? settings.clusterName()
                    : "mp4j-" + root.pid() + "-" + Long.toString(root.startTime(), 36);
            if (runtime.parent() != null) {
                TreeAgent.Started agent = TreeAgent.spawn(name, settings.bind(), settings.port(), key);
                return client(new TreeFile(name, List.of(agent.address()), settings.authkeyFile(), agent.pid(),
                        agent.startTime()).write(), runtime, false);
            }
            Sealer sealer = new Sealer(key);
            HazelcastInstance member = Hazelcast.newHazelcastInstance(
                    Configs.member(name, settings.bind(), settings.port(), List.of(), sealer));
            SessionWatch watch = SessionWatch.install(member, sealer);
            var address = member.getCluster().getLocalMember().getAddress();
            new TreeFile(name, List.of(address.getHost() + ":" + address.getPort()), settings.authkeyFile(),
                    root.pid(), root.startTime()).write();
            return new ClusterNode(member, watch, true, member.getCluster().getLocalMember().getUuid().toString(), sealer);
        }
    }

    /**
     * For the AOT cache's training JVM only: starts a member of a cluster of its own on
     * loopback and a client of it, runs on the client what a child's first calls run (a record
     * made, a lock taken while its record is watched and given back, a queue's item put and
     * taken), and shuts both down. A child's client then starts with the cache's classes
     * instead of loading Hazelcast's from its jar: in a JVM whose member had loaded them, a
     * client started in about 55 ms instead of 450.
     *
     * @throws Exception if the member or the client cannot start, or an operation fails
     */
    static void trainClient() throws Exception {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Sealer sealer = new Sealer(key);
        String name = "mp4j-aot-training-" + UUID.randomUUID();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                Configs.member(name, "127.0.0.1", 5701, List.of(), sealer));
        try {
            var address = member.getCluster().getLocalMember().getAddress();
            HazelcastInstance client = HazelcastClient.newHazelcastClient(
                    Configs.client(name, List.of(address.getHost() + ":" + address.getPort())));
            // the node of a child, on the same calls as a child's (close() ends the client)
            ClusterNode node = new ClusterNode(client, null, false, client.getLocalEndpoint().getUuid().toString(), sealer);
            try {
                String lock = node.create(State.Kind.LOCK, 0);
                Answer taken = node.await(lock, Op.Code.LOCK_ACQUIRE, 1, java.util.concurrent.TimeUnit.SECONDS.toNanos(60), true);
                if (check(taken).status() != Answer.Status.OK) {
                    throw new IllegalStateException("the training's lock was not granted: " + taken);
                }
                check(node.call(lock, Op.Code.LOCK_RELEASE, 0, 0, true));
                IQueue<byte[]> queue = node.queue("queue-" + UUID.randomUUID());
                queue.offer(sealer.seal(Sealer.Label.ITEM, new byte[] {0, 1, 2}));
                sealer.open(Sealer.Label.ITEM, queue.poll(60, java.util.concurrent.TimeUnit.SECONDS), "a training item");
                queue.destroy();
            } finally {
                node.close();
            }
        } finally {
            member.shutdown();
        }
    }

    private static ClusterNode client(TreeFile tree, ProcessRuntime runtime, boolean treeFileOwner) {
        Sealer sealer = new Sealer(tree.authkeyFile() == null ? runtime.authkey() : keyOf(tree.authkeyFile()));
        HazelcastInstance client = HazelcastClient.newHazelcastClient(Configs.client(tree.clusterName(), tree.addresses()));
        return new ClusterNode(client, null, treeFileOwner, client.getLocalEndpoint().getUuid().toString(), sealer);
    }

    private static byte[] keyOf(Path file) {
        return new ClusterSettings(List.of(), null, file, "127.0.0.1", false, 5701).readAuthkey();
    }

    /**
     * {@return the node of this process}
     *
     * @throws IllegalStateException if this process's transport is not {@code hazelcast}
     */
    static ClusterNode current() {
        Transport transport = ProcessRuntime.current().transport();
        if (transport instanceof HazelcastTransport ours) {
            return ours.node();
        }
        throw new IllegalStateException("a primitive of the hazelcast transport is used in a process whose transport is "
                + transport.getClass().getName() + "; a process tree uses one transport");
    }

    /**
     * Starts joining the cluster in the background, if this process has not: a handle was
     * decoded here, so a call will follow. Never blocks, never throws (a failure shows on the
     * first call).
     */
    static void prestart() {
        if (ProcessRuntime.current().transport() instanceof HazelcastTransport ours) {
            ours.startInBackground();
        }
    }

    /**
     * Creates the record of a new primitive, owned by this process, under a new key with the
     * kind in it (for messages).
     *
     * @param kind  its kind
     * @param value its initial value (and bound)
     * @return its key
     */
    String create(State.Kind kind, int value) {
        String key = kind.display.toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID();
        create(key, kind, value);
        return key;
    }

    /**
     * Creates the record {@code key} of a new primitive, owned by this process.
     *
     * @param key   its key, new
     * @param kind  its kind
     * @param value its initial value (and bound; a data chunk's size)
     */
    void create(String key, State.Kind kind, int value) {
        check(call(key, Op.Code.CREATE, kind.ordinal(), value, false));
    }

    /**
     * Runs one operation now.
     *
     * @param key         the record
     * @param code        what to do
     * @param arg         its number
     * @param arg2        its second number
     * @param threadHolds whether the caller holds as this thread (locks) or as this process
     * @return the answer
     */
    Answer call(String key, Op.Code code, int arg, int arg2, boolean threadHolds) {
        String holder = threadHolds ? session + "/" + Thread.currentThread().threadId() : session;
        return call(new Op(code, key, holder, self, arg, arg2, new byte[0], idFor(code)));
    }

    /**
     * {@return the id of a new operation ({@link Op#id}): 0 for one that only reads, or that is
     * harmless to run twice (creating, releasing, a session's end)}
     */
    private static long idFor(Op.Code code) {
        if (READS.contains(code) || code == Op.Code.CREATE || code == Op.Code.SESSION_GONE || code == Op.Code.RELEASE
                || PIPE_OPS.contains(code)) {
            return 0;
        }
        return Thread.currentThread().threadId() << 32
                | (java.util.concurrent.ThreadLocalRandom.current().nextInt() & 0xffffffffL | 1);
    }

    /**
     * Runs one operation with data bytes now, as this process ({@link DataChunk}).
     *
     * @param key  the record
     * @param code what to do
     * @param arg  its number
     * @param arg2 its second number
     * @param data its bytes
     * @return the answer
     */
    Answer call(String key, Op.Code code, int arg, int arg2, byte[] data) {
        return call(new Op(code, key, session, self, arg, arg2, data, idFor(code)));
    }

    private Answer call(Op operation) {
        String key = operation.key();
        byte[] op = sealer.seal(Sealer.Label.OP, operation.encode());
        byte[] sealed = null;
        long deadline = System.nanoTime() + RETRY_NANOS;
        while (sealed == null) {
            try {
                // join(), not get(): an operation, once sent, is waited for whatever interrupts
                // come, so that nothing is acquired behind the caller's back.
                sealed = states.submitToKey(key, new StateOp(op)).toCompletableFuture().join();
            } catch (CompletionException | HazelcastException | HazelcastClientNotActiveException
                     | HazelcastInstanceNotActiveException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (refusedBySplitBrainProtection(cause)) {
                    throw refused(key, cause);
                }
                // A member that left took the operation with it, run or not. Every operation may be
                // sent again (to the partition's new owner): one that only reads, or creates (a
                // record that exists is left alone), changes nothing twice, and one that changes
                // carries an id the record remembers, so it is answered, not applied twice.
                if (System.nanoTime() - deadline > 0 || !hz.getLifecycleService().isRunning()) {
                    throw gone("the Hazelcast cluster did not run an operation on " + key + ": " + cause, cause);
                }
                pause();
            }
        }
        return Answer.decode(sealer.open(Sealer.Label.ANSWER, sealed, "the answer about " + key));
    }

    /**
     * Runs an operation until it no longer answers {@link Answer.Status#WAIT}, or the time is up.
     *
     * @param key          the record
     * @param code         what to do
     * @param arg          its number
     * @param timeoutNanos negative: as long as it takes; zero: once; positive: the limit
     * @param threadHolds  whether the caller holds as this thread or as this process
     * @return the last answer: {@code WAIT} only when the time ran out
     * @throws InterruptedException if interrupted while waiting (the operation did not happen)
     */
    Answer await(String key, Op.Code code, int arg, long timeoutNanos, boolean threadHolds) throws InterruptedException {
        if (timeoutNanos == 0) {
            return call(key, code, arg, 0, threadHolds);
        }
        if (Thread.interrupted()) {
            // before any call: Hazelcast fails one made with the flag set, unchecked
            throw new InterruptedException();
        }
        Watch watch;
        try {
            watch = watchRecord(key);
        } catch (HazelcastException | IllegalStateException | java.util.concurrent.RejectedExecutionException e) {
            throw translated(e, key); // a listener added to a cluster that has gone
        }
        long deadline = System.nanoTime() + timeoutNanos;
        boolean inLine = false;
        boolean served = false;
        try {
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long seen = watch.version();
                // A waiter joins the record's line (for an acquire or a bounded put), and is
                // served in its turn; the line is left below when it gives up.
                Answer a = call(key, code, arg, State.JOINS, threadHolds);
                inLine = true;
                if (a.status() != Answer.Status.WAIT) {
                    served = true;
                    return a;
                }
                long left = timeoutNanos < 0 ? Watch.SLICE_NANOS : deadline - System.nanoTime();
                if (left <= 0) {
                    return a;
                }
                watch.awaitChange(seen, Math.min(left, Watch.SLICE_NANOS));
            }
        } finally {
            if (inLine && !served && LINES.contains(code)) {
                leaveLine(key, threadHolds);
            }
        }
    }

    /** The operations whose waiters stand in a line in the record ({@link State#waiting}). */
    private static final java.util.Set<Op.Code> LINES = java.util.EnumSet.of(Op.Code.LOCK_ACQUIRE, Op.Code.SEM_ACQUIRE,
            Op.Code.QUEUE_PUT);

    /**
     * Takes this thread out of a record's line after it gave up waiting (timed out, interrupted,
     * or failed). Best effort: a waiter whose leave is lost drops out of the line after
     * {@link State#STALE_MILLIS}, and one whose process ended with it.
     */
    private void leaveLine(String key, boolean threadHolds) {
        try {
            call(key, Op.Code.WAIT_LEAVE, 0, 0, threadHolds);
        } catch (RuntimeException lost) {
            // the record or the cluster is gone, or the line drops the waiter by itself
        }
    }

    /**
     * {@return the error for an operation on {@code key} that split-brain protection refused}
     *
     * @param key   the record or queue
     * @param cause Hazelcast's refusal
     */
    static MultiprocessingException refused(String key, Throwable cause) {
        return new MultiprocessingException("refused on " + key + " by the cluster's split-brain protection: this"
                + " side of the cluster has fewer members than it needs to go on (-D"
                + ClusterSettings.MIN_CLUSTER_SIZE + " on the agents), so it may be cut off from a majority"
                + " that keeps the primitive; try again once the cluster is whole (" + cause.getMessage() + ")",
                cause);
    }

    /** {@return whether split-brain protection refused what failed with {@code t}} */
    static boolean refusedBySplitBrainProtection(@Nullable Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SplitBrainProtectionException) {
                return true;
            }
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Watch watchRecord(String key) {
        return watches.computeIfAbsent("r:" + key, k -> {
            Watch w = new Watch();
            states.addEntryListener(w, key, false);
            return w;
        });
    }

    /**
     * {@return a watch woken when an item is added to it}
     *
     * @param name a queue's name
     */
    Watch watchQueue(String name) {
        return watches.computeIfAbsent("q:" + name, k -> {
            Watch w = new Watch();
            queue(name).addItemListener(w, false);
            return w;
        });
    }

    /**
     * {@return the Hazelcast queue}
     *
     * @param name the queue's name (its record's key)
     */
    IQueue<byte[]> queue(String name) {
        return hz.getQueue(name);
    }

    Sealer sealer() {
        return sealer;
    }

    /** {@return the Hazelcast member or client of this process} */
    HazelcastInstance hazelcast() {
        return hz;
    }

    /** {@return this process, as messages name it} */
    String self() {
        return self;
    }

    /** {@return this process's session: its Hazelcast client's or member's UUID} */
    String session() {
        return session;
    }

    /** {@return this process's pipe endpoint and the pipe ends it keeps, made the first time} */
    synchronized PipeHost pipes() {
        if (pipes == null) {
            pipes = new PipeHost(this);
        }
        return pipes;
    }

    /**
     * {@return the records whose key starts with {@code prefix}, decoded; for tests} Records not
     * sealed with this cluster's key (a test's intruder wrote them) are left out.
     */
    java.util.Map<String, State> records(String prefix) {
        java.util.Map<String, State> found = new java.util.HashMap<>();
        for (Map.Entry<String, byte[]> e : states.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                try {
                    found.put(e.getKey(), State.decode(sealer.open(Sealer.Label.STATE, e.getValue(),
                            "the record of " + e.getKey())));
                } catch (AuthenticationException forged) {
                    // not ours
                }
            }
        }
        return found;
    }

    /**
     * {@return how many records whose key starts with {@code prefix} are live (not gone); for
     * tests}
     */
    long liveRecords(String prefix) {
        return records(prefix).values().stream().filter(r -> !r.gone).count();
    }

    /**
     * Turns an answer that is not {@code OK} into the API's exception.
     *
     * @param a the answer
     * @return it, if OK
     */
    static Answer check(Answer a) {
        return switch (a.status()) {
            case OK, WAIT -> a;
            case GONE -> throw new ProcessGoneException(a.text());
            case ILLEGAL -> throw new IllegalStateException(a.text());
            case BROKEN -> throw new BrokenBarrierException(a.text());
            case REFUSED -> throw new AuthenticationException(a.text());
        };
    }

    /**
     * Runs an operation that takes no number, now, in this process's node.
     *
     * @param key         the record
     * @param code        what to do
     * @param threadHolds whether the caller holds as this thread or as this process
     * @return the answer, OK or WAIT
     */
    static Answer now(String key, Op.Code code, boolean threadHolds) {
        return check(current().call(key, code, 0, 0, threadHolds));
    }

    /**
     * The end of an acquire: false if the time ran out; else true, after telling
     * {@code System.err} when the previous holder died holding what was acquired.
     *
     * @param a       the acquire's answer
     * @param warning the warning, given who died
     * @return whether it was acquired
     */
    static boolean granted(Answer a, java.util.function.UnaryOperator<String> warning) {
        check(a);
        if (a.status() == Answer.Status.WAIT) {
            return false;
        }
        if (!a.text().isEmpty()) {
            System.err.println("multiprocessing4j: " + warning.apply(a.text()));
        }
        return true;
    }

    /**
     * {@return the API's exception for a Hazelcast call that failed because this process's
     * member or client has stopped (its cluster is gone), else null}
     *
     * @param e   what the call threw
     * @param key the record or queue it was about
     */
    static @org.jspecify.annotations.Nullable ProcessGoneException goneIfStopped(RuntimeException e, String key) {
        return e instanceof HazelcastClientNotActiveException || e instanceof HazelcastInstanceNotActiveException
                ? gone("the Hazelcast cluster is gone for " + key + ": " + e.getMessage(), e) : null;
    }

    /**
     * {@return the API's exception for what a direct Hazelcast call (a queue's) threw}: a
     * refusal of split-brain protection in our words; {@link ProcessGoneException} when this
     * process's member or client has stopped, or, after a lost connection, stops within the
     * time {@link #call} retries for (a lost connection to the last member ends in that); else
     * {@code e} itself
     *
     * @param e   what the call threw
     * @param key the queue it was about
     */
    RuntimeException translated(RuntimeException e, String key) {
        if (refusedBySplitBrainProtection(e)) {
            return refused(key, e);
        }
        ProcessGoneException stopped = goneIfStopped(e, key);
        if (stopped != null) {
            return stopped;
        }
        if (!hz.getLifecycleService().isRunning()) {
            // stopped meanwhile: what failed (a listener's executor refusing, say) is its end
            return gone("the Hazelcast cluster is gone for " + key + ": " + e, e);
        }
        if (e instanceof com.hazelcast.spi.exception.TargetDisconnectedException) {
            // A lost connection: either the client finds another member and goes on (the
            // caller gets e), or it gives up and stops (the cluster is gone). It gives up after
            // its connect timeout, counted from the loss, and takes a while to stop on a busy
            // machine (a CI run saw a raw TargetDisconnectedException after waiting 15 s).
            long deadline = System.nanoTime() + GIVE_UP_NANOS;
            while (hz.getLifecycleService().isRunning() && System.nanoTime() - deadline < 0
                    && !Thread.currentThread().isInterrupted()) {
                pause();
            }
            if (!hz.getLifecycleService().isRunning()) {
                return gone("the Hazelcast cluster is gone for " + key + ": " + e, e);
            }
        }
        return e;
    }

    static ProcessGoneException gone(String message, Throwable cause) {
        ProcessGoneException e = new ProcessGoneException(message);
        e.initCause(cause);
        return e;
    }

    private static String describeSelf() {
        ProcessRuntime runtime = ProcessRuntime.current();
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "an unnamed host";
        }
        return runtime.name() + " (pid " + ProcessHandle.current().pid() + " on " + host + ")";
    }

    @Override
    public void close() {
        PipeHost host;
        synchronized (this) {
            host = pipes;
        }
        if (host != null) {
            host.close();
        }
        if (sessionWatch != null) {
            sessionWatch.close();
        }
        try {
            // terminate, not shutdown: a client has nothing to hand over, and an embedded member
            // takes its cluster with it (its tree's children are ending too)
            hz.getLifecycleService().terminate();
        } catch (RuntimeException e) {
            // at exit: the cluster may be gone already
        }
        if (treeFileOwner) {
            TreeFile.delete();
        }
    }
}
