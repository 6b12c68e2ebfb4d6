package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The agent: the long-lived Hazelcast member to run on each host, which holds the primitives'
 * records and gives back what a process that left held. It reads the same system properties as
 * {@link ClusterSettings}; {@value ClusterSettings#AUTHKEY_FILE} is required, and
 * {@value ClusterSettings#MEMBERS} lists the agents (list them all, this one included: with
 * three or more, a side of a split cluster with no more than half of them refuses operations,
 * see {@value ClusterSettings#MIN_CLUSTER_SIZE}):
 * <pre>
 * java --sun-misc-unsafe-memory-access=allow \
 *      -Dmultiprocessing4j.hazelcast.authkeyFile=/etc/mp4j/key \
 *      -Dmultiprocessing4j.hazelcast.members=10.0.0.1,10.0.0.2,10.0.0.3 \
 *      -Dmultiprocessing4j.hazelcast.bind=10.0.0.1 -Dmultiprocessing4j.hazelcast.allowRemote=true \
 *      -cp multiprocessing4j-cluster-hazelcast.jar:multiprocessing4j-core.jar:hazelcast.jar:... \
 *      org.multiprocessing4j.cluster.hazelcast.Agent
 * </pre>
 * It starts the child JVMs of the cluster's processes ({@code Process.start()} on the {@code
 * hazelcast} transport places each child on an agent), with its own {@code java} and its own
 * class path, which must hold the user's classes too; such a child has the system property
 * {@value ClusterSettings#AGENT} set to its agent's address.
 * It prints one line when it has joined ({@code agent ready: cluster NAME at HOST:PORT}) and
 * runs until it is stopped (SIGTERM leaves the cluster in order).
 *
 * @since 0.1
 */
public final class Agent {
    /**
     * Property: {@code true} makes the agent stop (in order) when its stdin reaches end of file:
     * for an agent started by another program ({@link LocalAgents}), which must not outlive it.
     */
    public static final String EXIT_ON_STDIN_EOF = "multiprocessing4j.hazelcast.exitOnStdinEof";

    private Agent() {
    }

    /**
     * {@return the command that runs an agent with this JVM's {@code java} and class path}: the
     * flags Hazelcast and our native code want on JDK 25, then {@code options} (its settings as
     * {@code -D} system properties), then this class
     *
     * @param options the agent's system properties and other JVM options
     */
    public static List<String> command(List<String> options) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(HazelcastTransportProvider.UNSAFE_MEMORY_ACCESS);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Agent.class.getName());
        return cmd;
    }

    /**
     * Runs the agent until it is stopped.
     *
     * @param args none
     * @throws InterruptedException if interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0) {
            System.err.println("usage: java [-D" + ClusterSettings.PREFIX_HINT + "...] " + Agent.class.getName()
                    + " (settings are system properties, see the class's javadoc)");
            System.exit(2);
        }
        ClusterSettings settings = ClusterSettings.fromSystemProperties();
        String problem = settings.problem();
        if (problem == null && settings.authkeyFile() == null) {
            problem = "an agent needs -D" + ClusterSettings.AUTHKEY_FILE + ": the file with the cluster's key";
        }
        int minimum = 0;
        if (problem == null) {
            try {
                minimum = Configs.minimumClusterSize(settings.members());
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            System.err.println("multiprocessing4j agent: " + problem);
            System.exit(2);
        }
        Sealer sealer = new Sealer(settings.readAuthkey());
        String name = settings.clusterName() == null ? ClusterSettings.DEFAULT_CLUSTER_NAME : settings.clusterName();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                Configs.member(name, settings.bind(), settings.port(), settings.members(), sealer));
        SessionWatch watch = SessionWatch.install(member, sealer);
        var address = member.getCluster().getLocalMember().getAddress();
        String self = address.getHost() + ":" + address.getPort();
        new AgentLauncher(member, sealer, List.of(
                "-D" + ClusterSettings.MEMBERS + "=" + self,
                "-D" + ClusterSettings.CLUSTER_NAME + "=" + name,
                "-D" + ClusterSettings.AUTHKEY_FILE + "=" + settings.authkeyFile().toAbsolutePath(),
                "-D" + ClusterSettings.AGENT + "=" + self)).install();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watch.close();
            member.shutdown();
            stopped.countDown();
        }, "multiprocessing4j-agent-stop"));
        System.out.println("agent ready: cluster " + name + " at " + address.getHost() + ":" + address.getPort()
                + ", " + member.getCluster().getMembers().size() + " member(s)"
                + (minimum > 1 ? "; a side of fewer than " + minimum + " members refuses operations (split-brain protection)"
                : "; no split-brain protection"));
        System.out.flush();
        if (Boolean.getBoolean(EXIT_ON_STDIN_EOF)) {
            Thread.ofPlatform().daemon().name("multiprocessing4j-agent-lifeline").start(() -> {
                try {
                    System.in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    // closed: the same as its end
                }
                System.exit(0);
            });
        }
        stopped.await();
    }
}
