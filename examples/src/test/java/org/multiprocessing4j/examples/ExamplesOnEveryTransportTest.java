package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every example, on every transport, prints its expected output (a file per example under
 * {@code expected/} beside this class). A transport is chosen once per JVM, so each transport
 * gets one fresh JVM, started as {@code examples/run} starts one, that runs all the examples
 * in sequence ({@link AllExamples}); the output is then cut at the markers and compared example
 * by example.
 */
@DisplayName("every example prints its expected output on every transport")
class ExamplesOnEveryTransportTest {
    /** Its output depends on timing (five workers in parallel); checked by its own rules. */
    private static final String WORKERS = "workers";
    /** The seed's programs, a remote manager and the cluster's own pipe, on the embedded cluster. */
    private static final List<String> CLUSTER_SEEDS = List.of(WORKERS, "foo", "queue", "lock", "pool", "manager-remote",
            "pipe");
    /**
     * Two example JVMs at a time, started before the first test: each mostly waits (children
     * starting, workers sleeping), so two at once finish well before two in a row would.
     */
    private static final ExecutorService RUNNERS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "examples-runner");
        t.setDaemon(true);
        return t;
    });
    private static final Map<String, Future<Map<String, String>>> RUNS = new ConcurrentHashMap<>();

    @BeforeAll
    static void startEveryRun() {
        for (String transport : List.of("pipe", "socket", "sharedmem")) {
            submit(transport, everyLocalExample());
        }
        submit("hazelcast", CLUSTER_SEEDS);
        submit("hazelcast", List.of(Examples.POOL_AGENTS));
    }

    @AfterAll
    static void stopRunners() {
        RUNNERS.shutdownNow();
    }

    private static void submit(String transport, List<String> names) {
        RUNS.put(transport + names, RUNNERS.submit(() -> runAll(transport, names, List.of())));
    }

    private static List<String> everyLocalExample() {
        List<String> names = new ArrayList<>();
        Examples.names().forEach(names::add);
        names.remove(Examples.POOL_AGENTS); // its own JVM, below: it sets the cluster's properties
        return names;
    }

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"pipe", "socket", "sharedmem"})
    void everyExample(String transport) throws Exception {
        check(transport, everyLocalExample());
    }

    /**
     * The seed's pool with its workers on three agents: started as {@code examples/run
     * pool-agents} starts it, alone in its JVM (it makes that JVM a client of its agents).
     */
    @Test
    @DisplayName("pool-agents: the seed's pool on three local agents prints the seed's output, its workers on all three")
    void poolOnThreeAgents() throws Exception {
        check("hazelcast", List.of(Examples.POOL_AGENTS));
    }

    /**
     * On the cluster transport (an embedded one-machine cluster), the seed's programs, a
     * remote manager, whose client JVM (outside the tree, so outside the cluster) gets the
     * cluster's primitives as proxies, and the pipe example (the cluster's peer-to-peer pipe). The JVM that runs them returns from {@code main} with
     * Hazelcast's threads (not daemons) up, so this also checks that it exits by itself. The
     * other examples run there too ({@code examples/run NAME --transport hazelcast}), but each
     * child that uses a primitive starts a Hazelcast client of its own, seconds each: too slow
     * to take them all here.
     */
    @Test
    @DisplayName("the seed's programs, a remote manager and a pipe on --transport hazelcast")
    void seedsOnTheCluster() throws Exception {
        check("hazelcast", CLUSTER_SEEDS);
    }

    private static void check(String transport, List<String> names) throws Exception {
        check(transport, names, List.of());
    }

    /**
     * Runs the examples in one JVM bound to the transport and checks each one's output.
     *
     * @param transport    the transport
     * @param names        the examples
     * @param extraOptions more options for that JVM (system properties that join agents)
     */
    static void check(String transport, List<String> names, List<String> extraOptions) throws Exception {
        Future<Map<String, String>> started = extraOptions.isEmpty() ? RUNS.get(transport + names) : null;
        Map<String, String> outputs;
        try {
            outputs = started != null ? started.get() : runAll(transport, names, extraOptions);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error failed) {
                throw failed; // an assertion of the run
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            String got = outputs.get(name);
            if (got == null) {
                failures.add(name + ": no output at all");
            } else if (name.equals(WORKERS)) {
                checkWorkers(got, failures);
            } else {
                String expected = expected(name);
                String normalized = got.replaceAll("pid \\d+", "pid N");
                if (!expected.equals(normalized)) {
                    failures.add(name + ":\n--- expected\n" + expected + "--- got\n" + got);
                }
            }
        }
        if (!failures.isEmpty()) {
            fail("on " + transport + ":\n" + String.join("\n", failures));
        }
    }

    @Test
    @DisplayName("every example but workers has an expected output, and every expected output an example")
    void expectedFilesMatchTheList() throws IOException {
        for (String name : Examples.names()) {
            if (!name.equals(WORKERS)) {
                assertTrue(!expected(name).isEmpty(), "empty expected output for " + name);
            }
        }
    }

    /** The seed's ten lines: each worker starts before it finishes, numbered from Process-1. */
    private static void checkWorkers(String output, List<String> failures) {
        List<String> lines = output.lines().toList();
        for (int i = 0; i < 5; i++) {
            String start = "Worker " + i + " started in Process-" + (i + 1);
            String finish = "Worker " + i + " finished in Process-" + (i + 1);
            if (lines.indexOf(start) < 0 || lines.indexOf(start) > lines.indexOf(finish)) {
                failures.add("workers: no '" + start + "' before '" + finish + "' in " + lines);
            }
        }
        if (lines.size() != 10) {
            failures.add("workers: " + lines.size() + " lines instead of 10: " + lines);
        }
    }

    private static String expected(String name) throws IOException {
        try (InputStream in = ExamplesOnEveryTransportTest.class.getResourceAsStream("expected/" + name + ".txt")) {
            if (in == null) {
                throw new AssertionError("no expected output for example " + name + ": add expected/" + name
                        + ".txt to the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs every example in one fresh JVM bound to the transport; returns each one's output. */
    private static Map<String, String> runAll(String transport, List<String> names, List<String> extraOptions)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String classPath = System.getProperty("java.class.path");
        if (transport.equals("hazelcast")) {
            cmd.add("--sun-misc-unsafe-memory-access=allow"); // Hazelcast's, in the user's JVM
        } else {
            // As examples/run does: the local transports without the cluster's jars. The jars
            // go first, so that the children get an AOT cache of them (it covers the jars at
            // the head of the class path), made in the build's directory: about a quarter of a
            // second less of CPU for each of the children of these runs, and the cache's path
            // tested with every example.
            classPath = org.multiprocessing4j.Context.jarsFirst(Arrays.stream(classPath.split(File.pathSeparator))
                    .filter(entry -> !Path.of(entry).getFileName().toString().contains("hazelcast"))
                    .collect(Collectors.joining(File.pathSeparator)));
            String cacheDir = System.getProperty("multiprocessing4j.cacheDir");
            // never the user's own cache directory (a run outside the build sets none)
            cmd.add(cacheDir != null ? "-Dmultiprocessing4j.cacheDir=" + cacheDir : "-Dmultiprocessing4j.aotCache=false");
        }
        cmd.add("-Dmultiprocessing4j.transport=" + transport);
        cmd.addAll(extraOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(AllExamples.class.getName());
        cmd.addAll(names);
        Process p = new ProcessBuilder(cmd).start();
        try {
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the examples on " + transport + " did not end");
            assertEquals("", err.join(), "the examples on " + transport + " wrote to stderr");
            assertEquals(0, p.exitValue(), "the examples' JVM on " + transport + " failed:\n" + out);
            return split(out, transport);
        } finally {
            p.destroyForcibly();
        }
    }

    private static Map<String, String> split(String out, String transport) {
        Map<String, String> outputs = new LinkedHashMap<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (line.startsWith(AllExamples.MARK)) {
                if (current != null) {
                    outputs.put(current, text.toString());
                }
                current = line.substring(AllExamples.MARK.length());
                text.setLength(0);
                if (current.startsWith("failed: ")) {
                    fail("an example failed on " + transport + ": " + out);
                }
            } else if (current != null) {
                text.append(line).append('\n');
            }
        }
        assertEquals("end", current, "the examples' JVM on " + transport + " ended early:\n" + out);
        return outputs;
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
