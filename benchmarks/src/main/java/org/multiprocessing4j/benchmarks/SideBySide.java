package org.multiprocessing4j.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Multiprocessing;

/**
 * The same workloads ({@link Workload}) with this library on each transport and with CPython's
 * {@code multiprocessing}, alternating between them round after round in one run (so a busy
 * machine slows all alike), then the medians and the ratio to CPython. Every measurement runs
 * in a fresh JVM (or interpreter). Without {@code python3} on the path it says so and runs
 * ours alone.
 *
 * <p>Run: {@code benchmarks/run side-by-side [rounds [workload...]]}; the workloads are the
 * first words of {@link Workload}'s ({@code queue}, {@code pipe-rtt}, {@code pool-map}, ...),
 * named one per argument or separated by commas; all by default. An argument
 * {@code --transports=sharedmem,pipe} (anywhere after the rounds) runs only those transports
 * beside CPython; pipe, socket and sharedmem by default. The cluster transport runs only when
 * named ({@code --transports=socket,hazelcast}), on an embedded one-machine cluster, with fewer
 * items in its queue and lock workloads ({@link #argsFor}), and alone runs {@code Pool.map} with its
 * workers on 1, 2 and 3 agents started on this machine (beside CPython's local {@code Pool.map}).
 */
public final class SideBySide {
    record Case(String label, String unit, boolean higherIsBetter, String... args) {
    }

    /** The cluster transport, run only when named with {@code --transports=}. */
    private static final String HAZELCAST = "hazelcast";
    /** The workload of a pool on agents: the cluster transport's only; CPython runs its local pool-map beside it. */
    private static final String AGENTS = "pool-map-agents";
    /** The cluster transport's queue workloads move this share of the items. */
    private static final int HAZELCAST_QUEUE_SHARE = 100;
    /** The cluster transport's lock workload takes this share of the operations. */
    private static final int HAZELCAST_LOCK_SHARE = 20;

    private static final List<Case> CASES = List.of(
            new Case("Queue, 8-byte messages", "msg/s", true, "queue", "200000", "8"),
            new Case("Queue, 8-byte messages, after 2 s warm-up", "msg/s", true, "queue", "200000", "8", "2000"),
            new Case("Queue, 1 KiB messages", "msg/s", true, "queue", "50000", "1024"),
            new Case("Queue, 1 KiB messages, after 2 s warm-up", "msg/s", true, "queue", "50000", "1024", "2000"),
            new Case("Pipe round trip (median)", "µs", false, "pipe-rtt", "2000"),
            new Case("Pipe round trip after 2 s warm-up (median)", "µs", false, "pipe-rtt", "2000", "2000"),
            new Case("Pipe bandwidth, 1 MiB messages", "MiB/s", true, "pipe-bandwidth", "100", "1048576"),
            new Case("Pipe bandwidth, 1 MiB, after 2 s warm-up", "MiB/s", true, "pipe-bandwidth", "300", "1048576", "2000"),
            new Case("Pipe recvBytesInto 1 MiB, after 2 s warm-up", "MiB/s", true, "pipe-bandwidth-into", "300",
                    "1048576", "2000"),
            new Case("Lock, 2 processes contending", "ops/s", true, "lock", "10000"),
            new Case("Lock, 2 processes, after 2 s warm-up", "ops/s", true, "lock", "10000", "2000"),
            new Case("Start and join a no-op child", "ms", false, "start", "3"),
            new Case("Peak RSS of the parent", "MiB", false, "rss-parent", "10000"),
            new Case("Peak RSS of the child", "MiB", false, "rss-child", "10000"),
            new Case("Pool.map, 10^6 ints", "items/s", true, "pool-map", "1000000"),
            new Case("Pool.applyAsync", "tasks/s", true, "pool-apply", "10000"),
            new Case("Pool.applyAsync, after 2 s warm-up", "tasks/s", true, "pool-apply", "10000", "2000"),
            new Case("ExecutorService.submit(() -> f(i))", "tasks/s", true, "executor-submit", "10000"),
            new Case("ExecutorService.submit, after 2 s warm-up", "tasks/s", true, "executor-submit", "10000", "2000"),
            new Case("Pool.map, 10^6 ints, workers on 1 agent", "items/s", true, AGENTS, "1", "1000000"),
            new Case("Pool.map, 10^6 ints, workers on 2 agents", "items/s", true, AGENTS, "2", "1000000"),
            new Case("Pool.map, 10^6 ints, workers on 3 agents", "items/s", true, AGENTS, "3", "1000000"));

    private SideBySide() {
    }

    /**
     * Runs the side-by-side comparison and prints its table.
     *
     * @param args the number of rounds (default 3), then the workloads to run (default all) and
     *             optionally {@code --transports=NAME,...}
     * @throws Exception if a measurement fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String transportsOption = "--transports=";
        List<String> wanted = Arrays.stream(args).skip(1).filter(a -> a.startsWith(transportsOption))
                .flatMap(a -> Arrays.stream(a.substring(transportsOption.length()).split(","))).toList();
        List<String> only = Arrays.stream(args).skip(1).filter(a -> !a.startsWith(transportsOption))
                .flatMap(a -> Arrays.stream(a.split(","))).toList();
        List<Case> cases = CASES.stream().filter(c -> only.isEmpty() || only.contains(c.args()[0])).toList();
        List<String> transports = new ArrayList<>();
        for (String t : wanted.isEmpty() ? List.of("pipe", "socket", "sharedmem") : wanted) {
            try {
                Multiprocessing.getContext(t);
                transports.add(t);
            } catch (RuntimeException unavailable) {
                System.err.println("transport " + t + " is not available here: " + unavailable.getMessage());
            }
        }
        Path script = python();
        Map<String, List<Double>> results = new LinkedHashMap<>();
        try {
            for (int r = 1; r <= rounds; r++) {
                System.err.println("round " + r + " of " + rounds);
                for (Case c : cases) {
                    boolean agents = c.args()[0].equals(AGENTS);
                    for (String t : transports) {
                        if (!agents || t.equals(HAZELCAST)) {
                            results.computeIfAbsent(c.label() + "|" + t, k -> new ArrayList<>()).add(java(t, argsFor(t, c)));
                        }
                    }
                    if (script != null && (!agents || transports.contains(HAZELCAST))) {
                        results.computeIfAbsent(c.label() + "|CPython", k -> new ArrayList<>())
                                .add(python(script, agents ? new String[] {"pool-map", c.args()[2]} : c.args()));
                    }
                }
            }
        } finally {
            if (script != null) {
                Files.deleteIfExists(script);
            }
        }
        System.out.printf(Locale.ROOT, "%-44s %-10s %16s %16s %8s%n", "workload", "transport", "median", "CPython",
                "ratio");
        for (Case c : cases) {
            Double py = median(results.get(c.label() + "|CPython"));
            for (String t : transports) {
                Double measured = median(results.get(c.label() + "|" + t));
                if (measured == null) {
                    continue; // a workload of another transport
                }
                double ours = measured;
                double r = py == null ? 0 : c.higherIsBetter() ? ours / py : py / ours;
                String ratio = py == null ? "-" : String.format(Locale.ROOT, r < 0.1 ? "%.4f×" : "%.2f×", r);
                System.out.printf(Locale.ROOT, "%-44s %-10s %16s %16s %8s%n", c.label(), t,
                        format(ours, c.unit()), py == null ? "-" : format(py, c.unit()), ratio);
            }
        }
        System.out.println("(ratio: how many times better than CPython; rounds: " + rounds + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs)");
        if (transports.contains(HAZELCAST)) {
            System.out.println("(hazelcast: the queue and lock workloads move 1/" + HAZELCAST_QUEUE_SHARE + " and 1/"
                    + HAZELCAST_LOCK_SHARE + " of the items; every operation there is a round trip to a member;"
                    + " on agents, CPython is its local Pool.map, for scale)");
        }
    }

    /**
     * {@return the class path of a workload's JVM}: without the cluster's jars for the local
     * transports, as their users have it (with Hazelcast's 15 MB jar on it, every JVM that loads
     * the transports' providers opens it, and a child starts about 15 ms later)
     */
    static String classPathFor(String transport) {
        return transport.equals(HAZELCAST) ? System.getProperty("java.class.path") : localClassPath();
    }

    /** {@return this JVM's class path without the cluster's jars, as a user of the local transports has it} */
    static String localClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().contains("hazelcast"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /**
     * {@return the workload's arguments for a transport}: the cluster transport's queue and lock
     * workloads take fewer items (at a round trip to a member per operation, the full count
     * would take minutes), which a rate per second makes comparable
     */
    static String[] argsFor(String transport, Case c) {
        String[] args = c.args().clone();
        if (transport.equals(HAZELCAST) && !args[0].equals(AGENTS)) {
            int share = switch (args[0]) {
                case "queue", "rss-parent", "rss-child" -> HAZELCAST_QUEUE_SHARE;
                case "lock" -> HAZELCAST_LOCK_SHARE;
                default -> 1;
            };
            args[1] = Integer.toString(Math.max(100, Integer.parseInt(args[1]) / share));
        }
        return args;
    }

    private static String format(double v, String unit) {
        String digits = v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
        return digits + " " + unit;
    }

    private static @Nullable Double median(@Nullable List<Double> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double java(String transport, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (transport.equals(HAZELCAST)) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-Dmultiprocessing4j.transport=" + transport);
        cmd.add("-cp");
        cmd.add(classPathFor(transport));
        cmd.add(Workload.class.getName());
        cmd.addAll(List.of(args));
        return run(cmd, transport + " " + String.join(" ", args));
    }

    private static double python(Path script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(List.of(args));
        return run(cmd, "CPython " + String.join(" ", args));
    }

    private static double run(List<String> cmd, String what) throws IOException, InterruptedException {
        java.lang.Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(what + " failed: " + out);
        }
        String[] lines = out.split("\n");
        return Double.parseDouble(lines[lines.length - 1].trim());
    }

    private static @Nullable Path python() throws IOException, InterruptedException {
        try {
            java.lang.Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IOException("python3 --version failed");
            }
        } catch (IOException none) {
            System.err.println("python3 is not on the path: running this library's side alone");
            return null;
        }
        Path script = Files.createTempFile("multiprocessing4j-workloads", ".py");
        Files.writeString(script, Workload.PYTHON);
        return script;
    }
}
