package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The agents that start child JVMs, in a map of the cluster: each agent's entry, keyed by its
 * member's UUID and sealed ({@link Sealer.Label#AGENT}), says its host, its address, its CPUs
 * and how many JVMs it runs. An entry counts only while its member is in the cluster; members
 * remove a leaving agent's entry ({@link SessionWatch}).
 */
final class AgentRegistry {
    /** The map of agents. */
    static final String MAP = "multiprocessing4j.agents";

    private AgentRegistry() {
    }

    /**
     * An agent.
     *
     * @param member  its member
     * @param host    its host's name
     * @param address its member's {@code host:port}
     * @param cpus    its host's CPUs
     * @param running the JVMs it runs
     */
    record Entry(Member member, String host, String address, int cpus, int running) {
        /** {@return whether {@code name} names it: its host's name, its address, or its host's address} */
        boolean isNamed(String name) {
            return name.equalsIgnoreCase(host) || name.equalsIgnoreCase(address)
                    || name.equalsIgnoreCase(member.getAddress().getHost());
        }

        @Override
        public String toString() {
            return host + " (agent " + address + ", " + running + " of " + cpus + " CPUs busy)";
        }
    }

    /**
     * Writes the entry of the agent {@code member} is.
     *
     * @param member  the agent's member
     * @param sealer  the cluster's key
     * @param running the JVMs it runs
     */
    static void publish(HazelcastInstance member, Sealer sealer, int running) {
        Member self = member.getCluster().getLocalMember();
        String text = hostName() + "\n" + self.getAddress().getHost() + ":" + self.getAddress().getPort() + "\n"
                + Runtime.getRuntime().availableProcessors() + "\n" + running;
        member.<String, byte[]>getMap(MAP).set(self.getUuid().toString(),
                sealer.seal(Sealer.Label.AGENT, text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@return the agents in the cluster now}; entries not sealed with the key are ignored
     *
     * @param hz     a member or client
     * @param sealer the cluster's key
     */
    static List<Entry> live(HazelcastInstance hz, Sealer sealer) {
        Map<String, Member> members = new HashMap<>();
        for (Member m : hz.getCluster().getMembers()) {
            members.put(m.getUuid().toString(), m);
        }
        IMap<String, byte[]> map = hz.getMap(MAP);
        List<Entry> agents = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : map.entrySet()) {
            Member m = members.get(e.getKey());
            if (m == null) {
                continue;
            }
            try {
                String[] f = new String(sealer.open(Sealer.Label.AGENT, e.getValue(), "an agent's entry"),
                        StandardCharsets.UTF_8).split("\n");
                agents.add(new Entry(m, f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3])));
            } catch (RuntimeException notOurs) {
                // not sealed with our key, or not an entry: not an agent we use
            }
        }
        return agents;
    }

    /**
     * Removes the entry of an agent that left.
     *
     * @param member a member
     * @param gone   the UUID of the member that left
     */
    static void remove(HazelcastInstance member, UUID gone) {
        member.getMap(MAP).delete(gone.toString());
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
