package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.multiprocessing4j.cluster.hazelcast.Agent;
import org.multiprocessing4j.cluster.hazelcast.ClusterSettings;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Three "hosts": an agent each in a container of its own (Testcontainers), from an image built
 * here, never pulled ({@code .ci/docker-setup} imports a debootstrapped Debian; this machine's
 * JDK and class path are mounted read-only). A program on this machine joins them as a client:
 * the seed's programs run with their processes on the agents, then one container is killed
 * mid-map. Containers share the host's network (the Docker engine here has no bridge), so
 * agents differ by port; each has its own processes, file system and {@code /dev/shm}. Without
 * a Docker engine or the image, the tests are skipped, saying which is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("several hosts: agents in three containers")
class MultiHostTest {
    static final String IMAGE = "multiprocessing4j/agent-base:bookworm";
    private static final int[] PORTS = {6301, 6311, 6321};
    private static final long PATIENCE_SECONDS = 120;
    private final List<GenericContainer<?>> agents = new ArrayList<>();
    private Path keyDir;
    private List<String> clientOptions;

    @BeforeAll
    void startAgents() throws Exception {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine is reachable here: .ci/docker-setup starts one (as root)");
        boolean image;
        try {
            DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
            image = true;
        } catch (RuntimeException notFound) {
            image = false;
        }
        assumeTrue(image, "the image " + IMAGE + " is not here: .ci/docker-setup builds it (it is never pulled)");
        keyDir = Files.createTempDirectory("mp4j-multihost");
        Path key = keyDir.resolve("key");
        Files.writeString(key, UUID.randomUUID().toString());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        String cluster = "multihost-" + UUID.randomUUID();
        String members = Arrays.stream(PORTS).mapToObj(p -> "127.0.0.1:" + p).reduce((a, b) -> a + "," + b).orElseThrow();
        List<String> settings = List.of("-D" + ClusterSettings.AUTHKEY_FILE + "=" + key,
                "-D" + ClusterSettings.CLUSTER_NAME + "=" + cluster);
        for (int port : PORTS) {
            agents.add(agent(settings, members, port));
        }
        // Together, as hosts would start: each lists all three and joins whichever is up.
        agents.parallelStream().forEach(GenericContainer::start);
        clientOptions = new ArrayList<>(settings);
        clientOptions.add("-D" + ClusterSettings.MEMBERS + "=" + members);
    }

    @AfterAll
    void stopAgents() throws IOException {
        for (GenericContainer<?> agent : agents) {
            agent.stop();
        }
        if (keyDir != null) {
            Files.deleteIfExists(keyDir.resolve("key"));
            Files.deleteIfExists(keyDir);
        }
    }

    private static GenericContainer<?> agent(List<String> settings, String members, int port) {
        String javaHome = System.getProperty("java.home");
        List<String> options = new ArrayList<>(settings);
        options.add("-D" + ClusterSettings.MEMBERS + "=" + members);
        options.add("-D" + ClusterSettings.PORT + "=" + port);
        List<String> cmd = Agent.command(options);
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withNetworkMode("host")
                .withFileSystemBind(javaHome, javaHome, BindMode.READ_ONLY)
                .withCommand(cmd.toArray(String[]::new))
                .waitingFor(Wait.forLogMessage(".*agent ready.*\\n", 1).withStartupTimeout(Duration.ofSeconds(PATIENCE_SECONDS)));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            c.withFileSystemBind(entry, entry, BindMode.READ_ONLY);
        }
        settings.stream().filter(s -> s.contains(ClusterSettings.AUTHKEY_FILE)).findFirst()
                .map(s -> Path.of(s.substring(s.indexOf('=') + 1)).getParent().toString())
                .ifPresent(dir -> c.withFileSystemBind(dir, dir, BindMode.READ_ONLY));
        return c;
    }

    @Test
    @DisplayName("the seed's programs, and a pipe to a child in a container, print their output with their processes on the agents")
    void seedsAcrossTheAgents() throws Exception {
        ExamplesOnEveryTransportTest.check("hazelcast", List.of("workers", "foo", "queue", "lock", "pool", "pipe"),
                clientOptions);
    }

    @Test
    @DisplayName("one container killed mid-map: the pool, with retries, runs the lost tasks again and every result is right")
    void containerKilledMidMap() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Dmultiprocessing4j.transport=hazelcast");
        cmd.add("-Dmultiprocessing4j.pool.storeSaving=0"); // store the model, small as it is
        cmd.addAll(clientOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MidMapProgram.class.getName());
        java.lang.Process program = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            StringBuilder all = new StringBuilder();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(program.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        synchronized (all) {
                            all.append(line).append('\n');
                        }
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // ended
                }
            });
            await(lines, "ready", all);
            GenericContainer<?> victim = agents.get(1);
            DockerClientFactory.instance().client().killContainerCmd(victim.getContainerId()).exec();
            try (Writer w = new OutputStreamWriter(program.getOutputStream(), StandardCharsets.UTF_8)) {
                w.write("go on\n");
            }
            assertEquals("map done: true", await(lines, "map done", all), all.toString());
            assertEquals("parent alive in every worker: true", await(lines, "parent alive", all), all.toString());
            assertEquals("the model in every task: true", await(lines, "the model in every task", all), all.toString());
            assertEquals("tasks counted in a Value: true", await(lines, "tasks counted", all), all.toString());
            String used = await(lines, "agents used", all);
            assertTrue(used.matches("agents used: [23]"), used + " (the workers did not run on the containers' agents)\n" + all);
            assertTrue(program.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), all.toString());
            assertEquals(0, program.exitValue(), all.toString());
            assertTrue(all.toString().contains("multiprocessing4j: lost PoolWorker-"), all.toString());
        } finally {
            program.destroyForcibly();
        }
    }

    private static String await(LinkedBlockingQueue<String> lines, String prefix, StringBuilder all) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                synchronized (all) {
                    throw new AssertionError("no line starting with '" + prefix + "' in time; output:\n" + all);
                }
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }
}
