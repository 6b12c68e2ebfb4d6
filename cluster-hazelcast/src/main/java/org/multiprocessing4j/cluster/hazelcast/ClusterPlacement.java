package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.client.Client;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.spi.ChildPlacement;
import org.multiprocessing4j.spi.JvmRequest;
import org.multiprocessing4j.spi.PlacedJvm;

/**
 * Starts the children of a process that works with agents on those agents ({@link Launch}): on
 * the one a context names ({@code Context.Builder.host}), else on the one with the most free
 * CPUs (its CPUs less the JVMs it runs and those this process is starting there). A process on
 * an embedded cluster (nothing configured) starts its children here, as does one in a cluster
 * with no agent registered. Relay connections come to a server socket of this process, on the
 * address it reaches the cluster from.
 */
final class ClusterPlacement implements ChildPlacement, MembershipListener {
    private static final long LAUNCH_TIMEOUT_SECONDS = 60;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    private static final long CLASS_CHECK_TIMEOUT_SECONDS = 10;
    private final HazelcastTransport transport;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Integer> starting = new HashMap<>();
    private final Set<RemoteJvm> running = ConcurrentHashMap.newKeySet();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** What each agent (by member) said of classes: true, it has it; false, it lacks it. */
    private final Map<UUID, Map<String, Boolean>> classesOnAgents = new ConcurrentHashMap<>();
    private @Nullable ServerSocket relay;
    private @Nullable Boolean viaAgents;

    ClusterPlacement(HazelcastTransport transport) {
        this.transport = transport;
    }

    @Override
    public @Nullable PlacedJvm place(JvmRequest request) {
        if (!viaAgents()) {
            if (request.host() != null) {
                throw new ProcessStartException("its context names host " + request.host() + ", but this process's"
                        + " cluster is the one-machine cluster it formed by itself, which has no agents (to start"
                        + " children on other hosts, join agents: -D" + ClusterSettings.MEMBERS + ")");
            }
            return null;
        }
        ClusterNode node = transport.node();
        AgentRegistry.Entry agent = choose(AgentRegistry.live(node.hazelcast(), node.sealer()), request.host());
        if (agent == null) {
            return null;
        }
        try {
            return launch(node, agent, request);
        } finally {
            synchronized (starting) {
                starting.merge(agent.member().getUuid().toString(), -1, Integer::sum);
            }
        }
    }

    @Override
    public boolean checksClasses() {
        return viaAgents();
    }

    /**
     * Asks the agents (those on {@code host}, or all) about the classes each has not answered
     * for yet, in parallel, and keeps their answers: an agent's class path does not change while
     * it runs. An agent that does not answer within {@value #CLASS_CHECK_TIMEOUT_SECONDS} s, or
     * whose answer is not sealed with the key, counts as having every class.
     */
    @Override
    public Map<String, Set<String>> missingClasses(@Nullable String host, Set<String> classNames) {
        if (!viaAgents() || classNames.isEmpty()) {
            return Map.of();
        }
        ClusterNode node = transport.node();
        record Question(List<String> names, Future<byte[]> answer) {
        }
        Map<AgentRegistry.Entry, Question> asked = new HashMap<>();
        Map<AgentRegistry.Entry, Map<String, Boolean>> answers = new HashMap<>();
        for (AgentRegistry.Entry agent : AgentRegistry.live(node.hazelcast(), node.sealer())) {
            if (host != null && !agent.isNamed(host)) {
                continue;
            }
            Map<String, Boolean> known = classesOnAgents.computeIfAbsent(agent.member().getUuid(),
                    u -> new ConcurrentHashMap<>());
            answers.put(agent, known);
            List<String> unknown = classNames.stream().filter(n -> !known.containsKey(n)).toList();
            if (!unknown.isEmpty()) {
                asked.put(agent, new Question(unknown, node.hazelcast().getExecutorService(AgentTask.EXECUTOR)
                        .submitToMember(new AgentTask(AgentTask.Kind.CLASS_CHECK, node.sealer().seal(Sealer.Label.CLASSES,
                                AgentTask.encodeNames(unknown))), agent.member())));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLASS_CHECK_TIMEOUT_SECONDS);
        for (Map.Entry<AgentRegistry.Entry, Question> e : asked.entrySet()) {
            AgentRegistry.Entry agent = e.getKey();
            Question q = e.getValue();
            try {
                byte[] sealed = q.answer().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                Set<String> lacking = AgentTask.decodeNames(node.sealer().open(Sealer.Label.CLASSES_MISSING, sealed,
                        "the class check answer of the agent on " + agent.host()));
                Map<String, Boolean> known = answers.get(agent);
                for (String name : q.names()) {
                    known.put(name, !lacking.contains(name));
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                q.answer().cancel(true);
            } catch (ExecutionException | TimeoutException | RuntimeException unanswered) {
                q.answer().cancel(true); // unknown: asked again next time
            }
        }
        Map<String, Set<String>> missing = new HashMap<>();
        for (Map.Entry<AgentRegistry.Entry, Map<String, Boolean>> e : answers.entrySet()) {
            Set<String> lacking = new java.util.TreeSet<>();
            for (String name : classNames) {
                if (Boolean.FALSE.equals(e.getValue().get(name))) {
                    lacking.add(name);
                }
            }
            if (!lacking.isEmpty()) {
                missing.put(e.getKey().host() + " (agent " + e.getKey().address() + ")", lacking);
            }
        }
        return missing;
    }

    /** Whether this process's cluster is one of agents, decided without joining it. */
    private synchronized boolean viaAgents() {
        if (viaAgents == null) {
            TreeFile tree = TreeFile.readIfPresent();
            viaAgents = tree != null ? tree.host() == 0 : !ClusterSettings.fromSystemProperties().embedded();
        }
        return viaAgents;
    }

    /** Picks the agent, and counts the start against it. */
    private AgentRegistry.@Nullable Entry choose(List<AgentRegistry.Entry> agents, @Nullable String host) {
        if (agents.isEmpty()) {
            if (host != null) {
                throw new ProcessStartException("its context names host " + host
                        + ", but no agent runs in this process's cluster (start one on that host: see the Agent class)");
            }
            return null;
        }
        List<AgentRegistry.Entry> candidates = host == null ? agents
                : agents.stream().filter(a -> a.isNamed(host)).toList();
        if (candidates.isEmpty()) {
            throw new ProcessStartException("its context names host " + host + ", but no agent of the cluster runs there;"
                    + " the agents are: " + agents);
        }
        synchronized (starting) {
            AgentRegistry.Entry best = candidates.stream()
                    .max(Comparator.comparingInt(this::free).thenComparing(AgentRegistry.Entry::address,
                            Comparator.reverseOrder()))
                    .orElseThrow();
            starting.merge(best.member().getUuid().toString(), 1, Integer::sum);
            return best;
        }
    }

    private int free(AgentRegistry.Entry agent) {
        return agent.cpus() - agent.running() - starting.getOrDefault(agent.member().getUuid().toString(), 0);
    }

    private PlacedJvm launch(ClusterNode node, AgentRegistry.Entry agent, JvmRequest request) {
        InetSocketAddress relayAddress = relay(node);
        String id = UUID.randomUUID().toString();
        Pending connections = new Pending();
        pending.put(id, connections);
        boolean launched = false;
        try {
            Launch.Request r = new Launch.Request(id, relayAddress.getAddress().getHostAddress(), relayAddress.getPort(),
                    node.self(), request);
            Future<byte[]> answer = node.hazelcast().getExecutorService(AgentTask.EXECUTOR)
                    .submitToMember(new AgentTask(AgentTask.Kind.LAUNCH, node.sealer().seal(Sealer.Label.LAUNCH, r.encode())), agent.member());
            Launch.Answer a = Launch.Answer.decode(node.sealer().open(Sealer.Label.LAUNCHED,
                    await(answer, agent), "the answer of the agent on " + agent.host()));
            if (a.pid() < 0) {
                throw new ProcessStartException("on " + agent + ": " + a.message());
            }
            Map<Launch.Channel, Socket> sockets = connections.all.get(HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            RemoteJvm jvm = new RemoteJvm(request.name(), a.pid(), agent.host(), agent.address(),
                    agent.member().getUuid(), sockets, running::remove);
            running.add(jvm);
            if (!node.hazelcast().getCluster().getMembers().contains(agent.member())) {
                jvm.lost("its agent " + agent.address() + " on " + agent.host() + " left the cluster as it started");
            }
            launched = true;
            return jvm;
        } catch (TimeoutException e) {
            throw new ProcessStartException("the agent on " + agent + " started it, but its streams did not connect to "
                    + relayAddress + " within " + HANDSHAKE_TIMEOUT_MILLIS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessStartException("interrupted while the agent on " + agent.host() + " started it", e);
        } catch (ExecutionException | IOException e) {
            throw new ProcessStartException("on " + agent + ": " + e.getMessage(), e);
        } finally {
            pending.remove(id);
            if (!launched) {
                // the agent kills a JVM whose control connection closes: none is left behind
                connections.closeAll();
            }
        }
    }

    private static byte[] await(Future<byte[]> answer, AgentRegistry.Entry agent)
            throws InterruptedException, ExecutionException {
        try {
            return answer.get(LAUNCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new ProcessStartException("the agent on " + agent + " did not answer within " + LAUNCH_TIMEOUT_SECONDS
                    + " s");
        }
    }

    /** {@return the relay server's address, starting it the first time} */
    private synchronized InetSocketAddress relay(ClusterNode node) {
        if (relay == null) {
            InetAddress local = localAddress(node.hazelcast());
            try {
                ServerSocket server = new ServerSocket(0, 64, local);
                Thread.ofPlatform().daemon().name("multiprocessing4j-relay").start(() -> accept(server, node.sealer()));
                node.hazelcast().getCluster().addMembershipListener(this);
                relay = server;
            } catch (IOException e) {
                throw new ProcessStartException("cannot accept the streams of a child on an agent at " + local + ": " + e, e);
            }
        }
        return (InetSocketAddress) relay.getLocalSocketAddress();
    }

    /** The address this process reaches the cluster from, which its agents can reach it at. */
    private static InetAddress localAddress(HazelcastInstance hz) {
        if (hz.getLocalEndpoint() instanceof Client client && client.getSocketAddress() instanceof InetSocketAddress a) {
            return a.getAddress();
        }
        return InetAddress.getLoopbackAddress();
    }

    private void accept(ServerSocket server, Sealer sealer) {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed at exit
            }
            Thread.ofVirtual().start(() -> handshake(s, sealer));
        }
    }

    private void handshake(Socket s, Sealer sealer) {
        try {
            s.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            byte[] nonce = new byte[Launch.NONCE_LENGTH];
            random.nextBytes(nonce);
            s.getOutputStream().write(nonce);
            Launch.Claim claim = Launch.check(sealer, nonce, s.getInputStream());
            Pending p = pending.get(claim.id());
            if (p == null) {
                throw new IOException("no launch " + claim.id() + " is waiting");
            }
            s.getOutputStream().write(Launch.ACCEPTED);
            s.setSoTimeout(0);
            p.add(claim.channel(), s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        // nothing to do
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        UUID gone = event.getMember().getUuid();
        classesOnAgents.remove(gone);
        for (RemoteJvm jvm : running) {
            if (jvm.agentMember().equals(gone)) {
                Thread.ofVirtual().start(() -> jvm.lost("its agent " + event.getMember().getAddress()
                        + " left the cluster (stopped, crashed, or cut off from this process)"));
            }
        }
    }

    /** Stops accepting relay connections; the children's connections stay until they end. */
    synchronized void close() {
        if (relay != null) {
            try {
                relay.close();
            } catch (IOException e) {
                // closed already
            }
        }
    }

    /** The relay connections of one launch, as they arrive. */
    private static final class Pending {
        private final Map<Launch.Channel, Socket> sockets = new EnumMap<>(Launch.Channel.class);
        final CompletableFuture<Map<Launch.Channel, Socket>> all = new CompletableFuture<>();

        synchronized void add(Launch.Channel channel, Socket s) throws IOException {
            if (sockets.containsKey(channel) || all.isDone()) {
                throw new IOException("a second " + channel + " connection for one launch");
            }
            sockets.put(channel, s);
            if (sockets.size() == Launch.Channel.values().length) {
                all.complete(Map.copyOf(sockets));
            }
        }

        synchronized void closeAll() {
            all.cancel(false);
            for (Socket s : sockets.values()) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closed already
                }
            }
        }
    }
}
