package org.multiprocessing4j.examples;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.Value;
import org.multiprocessing4j.cluster.hazelcast.ClusterSettings;

/**
 * {@link MultiHostTest}'s program, joined to agents by its system properties: a pool that runs
 * tasks again when their worker is lost maps slow squares; after the first results it says
 * "ready" and waits for a line (meanwhile the test kills one agent's container), then takes the
 * rest and says whether every result is right, whether every worker saw its parent (this
 * program, on another host) alive, and how many tasks counted themselves in a {@link Value}
 * made here (kept in the cluster: the workers' hosts have their own shared memory), and whether
 * every task saw the large model its function captures (which the pool stores in the cluster
 * once, for the workers to fetch).
 */
public final class MidMapProgram {
    private static final int ITEMS = 60;

    private MidMapProgram() {
    }

    static String slowSquare(int x, Value.OfInt ran, byte[] model) throws InterruptedException {
        ran.getAndAdd(1);
        Thread.sleep(250);
        return x * x + " " + System.getProperty(ClusterSettings.AGENT, "here") + " " + model[7] + " "
                + Multiprocessing.parentProcess().isAlive();
    }

    public static void main(String[] args) throws Exception {
        Value.OfInt ran = Value.ofInt(0);
        // a large model the function captures: stored once in the cluster, which the workers
        // (replacements on the surviving agents included) fetch it from
        byte[] model = new byte[2 << 20];
        model[7] = 42;
        try (Pool pool = Pool.builder().processes(3).retries(3).build()) { // one worker per agent
            Iterator<String> results = pool.imap(x -> slowSquare(x, ran, model),
                    IntStream.range(0, ITEMS).boxed().iterator(), 1);
            List<String> got = new ArrayList<>();
            while (got.size() < 3) {
                got.add(results.next());
            }
            System.out.println("ready");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            results.forEachRemaining(got::add);
            List<Integer> squares = got.stream().map(r -> Integer.parseInt(r.split(" ")[0])).toList();
            System.out.println("map done: " + squares.equals(IntStream.range(0, ITEMS).map(x -> x * x).boxed().toList()));
            System.out.println("parent alive in every worker: " + got.stream().allMatch(r -> r.endsWith(" true")));
            System.out.println("the model in every task: " + got.stream().allMatch(r -> r.split(" ")[2].equals("42")));
            // a task lost with its container and run again counts twice
            System.out.println("tasks counted in a Value: " + (ran.get() >= ITEMS));
            System.out.println("agents used: " + new TreeSet<>(got.stream().map(r -> r.split(" ")[1]).toList()).size());
        }
    }
}
