package org.multiprocessing4j.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.internal.ProcessRuntime;

/**
 * How long a child takes to start, against CPython's {@code multiprocessing} measured in the
 * same run: the median of starting and joining a no-op child, cold (no AOT cache), with the
 * AOT cache, with the AOT cache and {@link Context.Builder#shortLived()}, and warm (a ready
 * standby JVM), each also as a ratio to CPython's spawn. Rounds are interleaved, so a busy
 * machine slows every configuration alike.
 *
 * <p>Run: {@code benchmarks/run StartBenchmark [rounds]} after the build. The AOT cache is
 * made first, in a temporary directory removed at the end. The children's class path is this
 * JVM's without the cluster transport's jars ({@link SideBySide#localClassPath()}).
 */
public final class StartBenchmark {
    private static final String PYTHON = """
            import multiprocessing as mp, sys, time
            def noop():
                pass
            if __name__ == "__main__":
                ctx = mp.get_context(sys.argv[1])
                for _ in range(int(sys.argv[2])):
                    t0 = time.perf_counter()
                    p = ctx.Process(target=noop)
                    p.start()
                    p.join()
                    print((time.perf_counter() - t0) * 1000)
            """;

    private StartBenchmark() {
    }

    /**
     * Runs the start benchmark and prints its figures.
     *
     * @param args the number of rounds (default 15)
     * @throws Exception if a child cannot start
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path cacheDir = Files.createTempDirectory("start-benchmark-cache");
        try {
            run(rounds, cacheDir);
        } finally {
            ProcessRuntime.current().standbys().retireAll();
            ProcessRuntime.current().aotCache().awaitCreators(Duration.ofMinutes(5));
            try (Stream<Path> files = Files.walk(cacheDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void run(int rounds, Path cacheDir) throws Exception {
        // Jars first, directories after: the AOT cache covers the leading jars. Without the
        // cluster's jars, as the side-by-side runs the local transports: a user of those has
        // no Hazelcast jar, which costs every child that opens it about 15 ms.
        Context base = Context.builder().classPath(Context.jarsFirst(SideBySide.localClassPath()))
                .cacheDirectory(cacheDir).standby(0).build();
        Map<String, Context> configs = new LinkedHashMap<>();
        configs.put("cold", base.toBuilder().aotCache(false).build());
        configs.put("aot", base);
        configs.put("aot+shortLived", base.toBuilder().shortLived().build());
        makeCaches(configs.values());
        Context warm = base.toBuilder().standby(1).build();
        Map<String, List<Double>> startJoin = new LinkedHashMap<>();
        Map<String, List<Double>> startOnly = new LinkedHashMap<>();
        for (int r = 0; r <= rounds; r++) {
            for (var e : configs.entrySet()) {
                record(r, e.getKey(), e.getValue(), startOnly, startJoin);
            }
            awaitReadyStandby(warm);
            record(r, "warm (standby)", warm, startOnly, startJoin);
        }
        Path script = cacheDir.resolve("start_benchmark.py");
        Files.writeString(script, PYTHON);
        double spawn = median(python(script, "spawn", rounds));
        double forkserver = median(python(script, "forkserver", rounds));
        System.out.printf("%-22s %14s %18s %16s%n", "median of " + rounds, "start() ms", "start+join ms", "÷ CPython spawn");
        for (String name : startJoin.keySet()) {
            double sj = median(startJoin.get(name));
            System.out.printf("%-22s %14.1f %18.1f %16.2f%n", name, median(startOnly.get(name)), sj, sj / spawn);
        }
        System.out.printf("%-22s %14s %18.1f %16.2f%n", "CPython spawn", "", spawn, 1.0);
        System.out.printf("%-22s %14s %18.1f %16.2f%n", "CPython forkserver", "", forkserver, forkserver / spawn);
    }

    /** Round 0 warms the parent up and is not counted. */
    private static void record(int round, String name, Context context, Map<String, List<Double>> startOnly,
                               Map<String, List<Double>> startJoin) throws InterruptedException {
        long t0 = System.nanoTime();
        Process p = context.process(() -> { });
        p.start();
        long t1 = System.nanoTime();
        p.join();
        long t2 = System.nanoTime();
        if (p.exitCode() == null || p.exitCode() != 0) {
            throw new IllegalStateException(name + ": the child ended with " + p.exitCode());
        }
        if (round > 0) {
            startOnly.computeIfAbsent(name, k -> new ArrayList<>()).add((t1 - t0) / 1e6);
            startJoin.computeIfAbsent(name, k -> new ArrayList<>()).add((t2 - t0) / 1e6);
        }
    }

    private static void makeCaches(Iterable<Context> contexts) throws InterruptedException {
        for (Context c : contexts) {
            Process p = c.process(() -> { });
            p.start();
            p.join();
            // One creator at a time per directory: each cache is made before the next is asked for.
            ProcessRuntime.current().aotCache().awaitCreators(Duration.ofMinutes(5));
        }
    }

    private static void awaitReadyStandby(Context warm) throws InterruptedException {
        if (ProcessRuntime.current().standbys().standbyPids().isEmpty()) {
            Process first = warm.process(() -> { }); // the first start of the context fills its pool
            first.start();
            first.join();
        }
        while (ProcessRuntime.current().standbys().readyPids().isEmpty()) {
            Thread.sleep(5);
        }
    }

    /** Spawn imports the main module in the child: the script must be a file, not {@code -c}. */
    private static List<Double> python(Path script, String method, int rounds) throws IOException, InterruptedException {
        java.lang.Process py = new ProcessBuilder("python3", script.toString(), method, Integer.toString(rounds + 1))
                .redirectErrorStream(true).start();
        String out = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (py.waitFor() != 0 || !out.lines().allMatch(l -> l.matches("[0-9.]+"))) {
            throw new IllegalStateException("python3 failed: " + out);
        }
        List<Double> times = new ArrayList<>(out.lines().map(Double::parseDouble).toList());
        times.removeFirst(); // the first start imports and warms up, as round 0 does here
        return times;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
