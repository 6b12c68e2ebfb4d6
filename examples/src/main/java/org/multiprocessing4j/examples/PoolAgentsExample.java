package org.multiprocessing4j.examples;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.cluster.hazelcast.ClusterSettings;
import org.multiprocessing4j.cluster.hazelcast.LocalAgents;

/**
 * Seed program 5 with its workers on three agents of the {@code hazelcast} transport, all on
 * this machine ({@link LocalAgents}: as a cluster would run one agent per host, here on
 * loopback). The pool's code is the seed's: only the cluster's settings differ, and the
 * agents start the workers. A second line says on how many agents they ran.
 */
public final class PoolAgentsExample {
    private static final int AGENTS = 3;

    private PoolAgentsExample() {
    }

    static int square(int x) {
        return x * x;
    }

    static String agentOf(int ignored) throws InterruptedException {
        Thread.sleep(20);
        return System.getProperty(ClusterSettings.AGENT, "this JVM");
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws Exception if the agents do not start, or the pool fails
     */
    public static void main(String[] args) throws Exception {
        try (LocalAgents agents = LocalAgents.start(AGENTS, 5761)) {
            agents.applyToSystemProperties();
            try (Pool pool = Pool.builder().processes(AGENTS).build()) { // the agents spread them, one each
                System.out.println(pool.map(PoolAgentsExample::square, List.of(1, 2, 3, 4, 5)));
                Set<String> used = new TreeSet<>(pool.map(PoolAgentsExample::agentOf,
                        IntStream.range(0, 30 * AGENTS).boxed().toList(), 1));
                System.out.println("its workers ran on " + used.size() + " agents");
            }
        }
    }
}
