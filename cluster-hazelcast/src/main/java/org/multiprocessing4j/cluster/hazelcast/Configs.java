package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Hazelcast configuration of our members (agents and embedded members) and clients: TCP-IP
 * join only (no multicast, no auto-detection), no join wait, heartbeats tuned so that a lost
 * process is noticed in seconds rather than a minute, Jet off, no phone-home, Java
 * deserialization on members limited to our classes, and Hazelcast's own logging kept to
 * errors ({@value #LOG_LEVEL} changes that).
 */
final class Configs {
    /** The name of the split-brain protection of our records and queues. */
    static final String SPLIT_BRAIN_PROTECTION = "multiprocessing4j-majority";
    /** How long a client tries to reach a member again after losing its connection, then stops. */
    static final int CLUSTER_CONNECT_TIMEOUT_MILLIS = 15_000;
    /** Property: the level of Hazelcast's own logging (a java.util.logging level), default SEVERE. */
    static final String LOG_LEVEL = "multiprocessing4j.hazelcast.logLevel";
    /** Held so that the level set on it stays (java.util.logging keeps loggers weakly). */
    private static final Logger HAZELCAST_LOGGER = Logger.getLogger("com.hazelcast");

    private Configs() {
    }

    /**
     * {@return a member's configuration}
     *
     * @param clusterName the cluster's name
     * @param bind        the address to bind
     * @param port        the first port to try
     * @param members     other members to join ({@code host[:port]}), empty for none
     * @param sealer      the cluster's key, which {@link StateOp} checks with
     */
    static Config member(String clusterName, String bind, int port, List<String> members, Sealer sealer) {
        Config config = new Config();
        config.setClusterName(clusterName);
        common(config.getProperties());
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        config.setProperty("hazelcast.client.max.no.heartbeat.seconds", "10");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        config.getJetConfig().setEnabled(false);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(true).setPortCount(100);
        network.getInterfaces().setEnabled(true).addInterface(bind);
        config.setProperty("hazelcast.socket.bind.any", "false");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of(bind) : members);
        int minimum = minimumClusterSize(members);
        if (minimum > 1) {
            config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true, minimum)
                    .setProtectOn(SplitBrainProtectionOn.READ_WRITE));
            config.getMapConfig(ClusterNode.STATE_MAP).setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
            config.getQueueConfig("default").setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
        }
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        filter.getWhitelist().addPrefixes("org.multiprocessing4j.cluster.hazelcast.", "com.hazelcast.", "java.lang.", "java.util.");
        config.getSerializationConfig().setJavaSerializationFilterConfig(filter);
        ConcurrentHashMap<String, Object> context = new ConcurrentHashMap<>();
        context.put(StateOp.SEALER, sealer);
        config.setUserContext(context);
        return config;
    }

    /**
     * {@return the fewest members a side of the cluster needs to run operations on our records
     * and queues; 0 or 1 for no split-brain protection}: by {@value ClusterSettings#MIN_CLUSTER_SIZE},
     * {@code majority} by default (more than half of {@code members} when it names three or
     * more, else none), {@code off}, or a number
     *
     * @param members the members a member is configured to join
     * @throws IllegalArgumentException naming the property if its value is none of those
     */
    static int minimumClusterSize(List<String> members) {
        String value = SettingsLookup.fromSystem().get(ClusterSettings.MIN_CLUSTER_SIZE, "majority");
        if (value.equalsIgnoreCase("majority")) {
            long hosts = members.stream().map(m -> m.trim().toLowerCase(java.util.Locale.ROOT)).distinct().count();
            return hosts >= 3 ? (int) (hosts / 2 + 1) : 0;
        }
        if (value.equalsIgnoreCase("off")) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("-D" + ClusterSettings.MIN_CLUSTER_SIZE + "=" + value
                + " is not 'majority', 'off' or a number of members");
    }

    /**
     * {@return a client's configuration}
     *
     * @param clusterName the cluster's name
     * @param addresses   members to connect to
     */
    static ClientConfig client(String clusterName, List<String> addresses) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        common(config.getProperties());
        config.setProperty("hazelcast.client.heartbeat.interval", "1000");
        config.setProperty("hazelcast.client.heartbeat.timeout", "10000");
        config.setProperty("hazelcast.client.statistics.enabled", "false");
        // Our operations never wait on a member (waiting is the caller's), so an invocation that
        // takes this long has lost its member: fail it rather than wait Hazelcast's 120 s.
        config.setProperty("hazelcast.client.invocation.timeout.seconds", "20");
        config.getNetworkConfig().setAddresses(addresses);
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(CLUSTER_CONNECT_TIMEOUT_MILLIS);
        return config;
    }

    private static void common(java.util.Properties properties) {
        properties.setProperty("hazelcast.logging.type", "jdk");
        properties.setProperty("hazelcast.phone.home.enabled", "false");
        properties.setProperty("hazelcast.shutdownhook.enabled", "false");
        String level = SettingsLookup.fromSystem().get(LOG_LEVEL, "SEVERE");
        try {
            HAZELCAST_LOGGER.setLevel(Level.parse(level.trim().toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + LOG_LEVEL + "=" + level + " is not a java.util.logging level", e);
        }
    }
}
