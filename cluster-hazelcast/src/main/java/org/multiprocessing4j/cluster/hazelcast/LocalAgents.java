package org.multiprocessing4j.cluster.hazelcast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Agents on this machine, to try the multi-host setup on one (examples, tests, benchmarks): it
 * starts {@link Agent} JVMs on loopback, as one would run one per host, with this JVM's {@code
 * java} and class path, a fresh key file (mode 0600, in a temporary directory) and a cluster
 * name of their own; {@link #applyToSystemProperties()} then makes this JVM's process tree a
 * client of them. {@link #close()} stops them (SIGTERM, then SIGKILL after 30 s) and deletes
 * the key. The agents also end if this JVM dies: their stdin is their lifeline.
 *
 * @since 0.1
 */
public final class LocalAgents implements AutoCloseable {
    private static final String READY = "agent ready: cluster ";
    private static final long STOP_SECONDS = 30;
    private final Path dir;
    private final Path key;
    private final String clusterName;
    private final List<java.lang.Process> processes = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();

    private LocalAgents() throws IOException {
        this.dir = Files.createTempDirectory("mp4j-agents");
        this.key = dir.resolve("key");
        // Also gone if this JVM exits without close() (SIGTERM): in reverse order, key first.
        dir.toFile().deleteOnExit();
        key.toFile().deleteOnExit();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.writeString(key, Base64.getEncoder().encodeToString(secret));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        this.clusterName = "local-agents-" + UUID.randomUUID();
    }

    /**
     * Starts {@code count} agents and waits until each has joined the first.
     *
     * @param count     how many, at least 1
     * @param firstPort the first port the first agent tries (the next free one is taken)
     * @return the running agents
     * @throws IOException if one does not start (what it printed goes to this JVM's stderr)
     */
    public static LocalAgents start(int count, int firstPort) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("at least one agent, not " + count);
        }
        LocalAgents agents = new LocalAgents();
        try {
            String first = agents.startOne(firstPort, null);
            for (int i = 1; i < count; i++) {
                agents.startOne(firstPort, first);
            }
            return agents;
        } catch (IOException | RuntimeException e) {
            agents.close();
            throw e;
        }
    }

    private String startOne(int port, @Nullable String join) throws IOException {
        List<String> options = new ArrayList<>(settings());
        options.add("-D" + ClusterSettings.PORT + "=" + port);
        if (join != null) {
            options.add("-D" + ClusterSettings.MEMBERS + "=" + join);
        }
        options.add("-D" + Agent.EXIT_ON_STDIN_EOF + "=true");
        java.lang.Process agent = new ProcessBuilder(Agent.command(options)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(agent);
        BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(READY)) {
                String address = line.replaceAll(".* at ([^,]+),.*", "$1");
                addresses.add(address);
                return address;
            }
        }
        throw new IOException("agent " + (processes.size()) + " ended before it was ready (exit code "
                + agent.onExit().join().exitValue() + ")");
    }

    private List<String> settings() {
        return List.of("-D" + ClusterSettings.AUTHKEY_FILE + "=" + key, "-D" + ClusterSettings.CLUSTER_NAME + "=" + clusterName);
    }

    /** {@return the agents' addresses ({@code host:port}), in the order they started} */
    public List<String> addresses() {
        return List.copyOf(addresses);
    }

    /** {@return the key file} */
    public Path authkeyFile() {
        return key;
    }

    /** {@return the cluster's name} */
    public String clusterName() {
        return clusterName;
    }

    /**
     * Sets this JVM's system properties so that its process tree joins these agents as a client
     * on the {@code hazelcast} transport ({@code multiprocessing4j.transport} included); call it
     * before the tree's first primitive or process.
     */
    public void applyToSystemProperties() {
        System.setProperty(ClusterSettings.MEMBERS, String.join(",", addresses));
        System.setProperty(ClusterSettings.AUTHKEY_FILE, key.toString());
        System.setProperty(ClusterSettings.CLUSTER_NAME, clusterName);
        System.setProperty("multiprocessing4j.transport", HazelcastTransportProvider.NAME);
    }

    /** Stops the agents in order (SIGTERM), waits for them, and deletes the key file. */
    @Override
    public void close() {
        for (java.lang.Process p : processes) {
            p.toHandle().destroy();
        }
        for (java.lang.Process p : processes) {
            try {
                if (!p.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(key);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory: the system cleans it in the end
        }
    }
}
