package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents as separate JVMs on loopback, a user program (and its child) joined to them as
 * clients with the key file: the documented multi-host setup, on one machine.
 */
@Execution(ExecutionMode.CONCURRENT) // two at a time: each test has its own agents, ports and key
class AgentTest {
    private static final long PATIENCE_SECONDS = 90;
    private static final String CLASS_PATH = System.getProperty("java.class.path");
    private final List<java.lang.Process> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void killAll() throws InterruptedException {
        for (java.lang.Process p : started) {
            p.destroyForcibly();
            p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("a program and its child share primitives through two agents; kill -9 of one agent loses nothing")
    void twoAgentsOneKilled() throws Exception {
        List<String> settings = keyAndName(5801);
        List<Lines> agents = twoAgents(settings, CLASS_PATH);
        Lines agentA = agents.get(0);
        String addressA = addressOf(agentA.first);
        Lines program = program(settings, addressA);
        assertTrue(program.await("hello from").contains("hello from Process-1"));
        program.await("ready");
        agentA.process.destroyForcibly();
        assertTrue(agentA.process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS));
        goOn(program);
        assertEquals("still locked: true", program.await("still locked"));
        assertEquals("queue after: after", program.await("queue after"));
        assertTrue(program.process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "the program did not end");
        assertEquals(0, program.process.exitValue(), program.all());
    }

    @Test
    @DisplayName("kill -9 of the only agent: a process waiting for a lock or a queue's item fails with ProcessGoneException, never hangs, and so does a later put")
    void onlyAgentKilled() throws Exception {
        List<String> settings = keyAndName(5851);
        Lines agent = start(settings, List.of(), Agent.class);
        Lines program = program(settings, addressOf(agent), "waiter");
        program.await("waiting");
        agent.process.destroyForcibly();
        String put = program.await("put"); // printed after both waiters ended, in either order
        assertTrue(put.startsWith("put failed: ProcessGoneException"), put + "\n" + program.all());
        assertTrue(program.all().contains("waiter failed: ProcessGoneException"), program.all());
        assertTrue(program.all().contains("getter failed: ProcessGoneException"), program.all());
        assertTrue(program.process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "the program did not end");
    }

    @Test
    @DisplayName("split brain: with three agents listed, the side left with one of them refuses lock and queue operations (put and get) instead of granting them")
    void minorityRefuses() throws Exception {
        List<String> settings = keyAndName(5901);
        String three = "-D" + ClusterSettings.MEMBERS + "=127.0.0.1:5901,127.0.0.1:5911,127.0.0.1:5921";
        Lines agentA = start(settings, List.of(three), Agent.class);
        String readyA = agentA.await("agent ready");
        assertTrue(readyA.contains("fewer than 2 members refuses"), readyA);
        // the second agent takes its settings from a file alone
        Path fileB = dir.resolve("agent-b.properties");
        Files.writeString(fileB, "members=127.0.0.1:5901,127.0.0.1:5911,127.0.0.1:5921\n"
                + "multiprocessing4j.hazelcast.authkeyFile=" + property(settings, ClusterSettings.AUTHKEY_FILE) + "\n"
                + "clusterName=" + property(settings, ClusterSettings.CLUSTER_NAME) + "\nport=5911\n");
        Lines agentB = startIn(null, CLASS_PATH, List.of(), List.of("-D" + ClusterSettings.SETTINGS_FILE + "=" + fileB),
                Agent.class);
        assertTrue(agentB.await("agent ready").contains("2 member(s)"), "the second agent did not join the first");
        Lines program = program(settings, addressOf(readyA), "minority");
        assertTrue(program.await("majority: token").matches("majority: token [1-9][0-9]*"), program.all());
        assertEquals("majority: before", program.await("majority: before"));
        program.await("ready");
        agentB.process.destroyForcibly();
        assertTrue(agentB.process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS));
        goOn(program);
        assertMinorityRefuses(program);
        assertTrue(program.process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "the program did not end");
    }

    @Test
    @DisplayName("processes and pool workers run on the agents: spread by free CPUs or on a named host, with output, exit codes and terminate; a JVM that cannot start there fails start() saying why; kill -9 of an agent mid-map gives its process a lost exit code and fails exactly the tasks its workers held, naming host and agent, and the pool goes on")
    void processesOnAgents() throws Exception {
        List<String> settings = keyAndName(5951);
        List<Lines> agents = twoAgents(settings, classPathWithout(OnlyInProgram.class));
        String addressA = addressOf(agents.get(0).first);
        Lines agentB = agents.get(1);
        String addressB = addressOf(agentB.first);
        forgedLaunchIsRefused(settings, addressB, agentB.process);
        Lines program = program(settings, addressA, "placement", addressB);
        assertEquals("spread over agents: 2", program.await("spread over"), program.all());
        assertEquals("exit codes: 3 3, hosts known: true", program.await("exit codes"), program.all());
        assertTrue(program.all().contains("child out from Process-1"), program.all());
        assertTrue(program.all().contains("child err from Process-2"), program.all());
        assertEquals("named agent: " + addressB, program.await("named agent"), program.all());
        assertEquals("parent seen: alive true, own tree true", program.await("parent seen"), program.all());
        assertEquals("pipe to an agent's child: echo ping from " + addressB + ", then end of file",
                program.await("pipe to"), program.all());
        String bad = program.await("bad host");
        assertTrue(bad.contains("nosuch.invalid") && bad.contains(addressA) && bad.contains(addressB), bad);
        String badJvm = program.await("bad jvm");
        assertTrue(badJvm.contains("NoSuchOptionOfMultiprocessing4j") && badJvm.contains(addressB), badJvm);
        assertEquals("terminated: true -15", program.await("terminated"), program.all());
        assertEquals("pool squares: [1, 4, 9, 16, 25]", program.await("pool squares"), program.all());
        assertEquals("pool agents: 2", program.await("pool agents"), program.all());
        String failing = program.await("failing task");
        assertTrue(failing.matches("failing task: .* failed in PoolWorker-[0-9]+ on [^:]+: .*no 1.*"), failing);
        String missing = program.await("missing class");
        assertTrue(missing.startsWith("missing class: PoolTaskException: CodecException: ")
                && missing.contains("(agent " + addressB + ") lacks class " + OnlyInProgram.class.getName())
                && !missing.contains(addressA), missing);
        assertEquals("missing class on the other agent: 43", program.await("missing class on the other"), program.all());
        // 3 MiB (and the codec's header) stored once: 193 records of 16 KiB, which the workers on
        // both agents fetch
        assertEquals("model read: 80, records stored: 193", program.await("model read"), program.all());
        program.await("ready");
        agentB.process.destroyForcibly();
        assertTrue(agentB.process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS));
        goOn(program);
        assertEquals("lost: true " + org.multiprocessing4j.Process.EXIT_CODE_LOST, program.await("lost:"), program.all());
        assertTrue(program.all().contains("multiprocessing4j: lost Process-"), program.all());
        String done = program.await("pool after the loss");
        assertTrue(done.matches("pool after the loss: [0-9]+ of 40 done") && !done.contains(" 40 of"), done + "\n" + program.all());
        String failure = program.await("pool failure");
        assertTrue(failure.matches("pool failure: PoolWorker-[0-9]+ on .* died with its exit code unknown, lost: .*"
                + java.util.regex.Pattern.quote(addressB) + ".*"), failure);
        assertEquals("pool afterwards: [36, 49]", program.await("pool afterwards"), program.all());
        assertEquals("model released: true", program.await("model released"), program.all());
        assertTrue(program.process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "the program did not end");
        assertEquals(0, program.process.exitValue(), program.all());
    }

    /**
     * A client without the key (Community Edition lets it join) sends an agent a launch request
     * signed with another key: the agent refuses it, in an answer sealed with the cluster's key,
     * and starts no JVM.
     */
    private void forgedLaunchIsRefused(List<String> settings, String agentAddress, java.lang.Process agentProcess)
            throws Exception {
        String clusterName = property(settings, ClusterSettings.CLUSTER_NAME);
        Sealer ours = new Sealer(Files.readAllBytes(Path.of(property(settings, ClusterSettings.AUTHKEY_FILE))));
        com.hazelcast.core.HazelcastInstance intruder = com.hazelcast.client.HazelcastClient.newHazelcastClient(
                Configs.client(clusterName, List.of(agentAddress)));
        try {
            com.hazelcast.cluster.Member agent = intruder.getCluster().getMembers().stream()
                    .filter(m -> agentAddress.equals(m.getAddress().getHost() + ":" + m.getAddress().getPort()))
                    .findFirst().orElseThrow();
            Sealer wrongKey = new Sealer("not the key".getBytes(StandardCharsets.UTF_8));
            Launch.Request request = new Launch.Request("forged", "127.0.0.1", 9, "intruder",
                    new org.multiprocessing4j.spi.JvmRequest("forged", List.of(), "java.lang.Object", java.util.Map.of(), null));
            byte[] sealedAnswer = intruder.getExecutorService(AgentTask.EXECUTOR)
                    .submitToMember(new AgentTask(AgentTask.Kind.LAUNCH, wrongKey.seal(Sealer.Label.LAUNCH, request.encode())), agent)
                    .get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            Launch.Answer answer = Launch.Answer.decode(ours.open(Sealer.Label.LAUNCHED, sealedAnswer, "the agent's answer"));
            assertEquals(-1, answer.pid(), answer.message());
            assertTrue(answer.message().contains("not signed with the cluster's authkey"), answer.message());
            assertEquals(0, agentProcess.toHandle().children().count(), "a forged request started a JVM");
        } finally {
            intruder.getLifecycleService().terminate();
        }
    }

    private static String property(List<String> settings, String name) {
        return settings.stream().filter(s -> s.startsWith("-D" + name + "=")).findFirst().orElseThrow()
                .substring(name.length() + 3);
    }

    /** {@return two agents, the second joined to the first and given class path {@code classPathB}} */
    private List<Lines> twoAgents(List<String> settings, String classPathB) throws IOException, InterruptedException {
        Lines agentA = start(settings, List.of(), Agent.class);
        agentA.first = agentA.await("agent ready");
        Lines agentB = startIn(null, classPathB, settings,
                List.of("-D" + ClusterSettings.MEMBERS + "=" + addressOf(agentA.first)), Agent.class);
        agentB.first = agentB.await("agent ready");
        assertTrue(agentB.first.contains("2 member(s)"), "the second agent did not join the first: " + agentB.first);
        return List.of(agentA, agentB);
    }

    @Test
    @DisplayName("a real partition (network namespaces): the side left with one of three agents refuses lock and queue operations, the side with two goes on")
    void partition() throws Exception {
        assumeTrue(Namespaces.available(), "a partition between network namespaces needs root and iproute2 ("
                + Namespaces.IP + ")");
        try (Namespaces net = new Namespaces()) {
            List<String> settings = keyAndName(5701);
            String members = "-D" + ClusterSettings.MEMBERS + "=" + net.addressA + ":5701," + net.addressA + ":5702,"
                    + net.addressB + ":5701";
            List<String> sideA = List.of(members, "-D" + ClusterSettings.BIND + "=" + net.addressA,
                    "-D" + ClusterSettings.ALLOW_REMOTE + "=true");
            Lines a1 = startIn(net.a, settings, sideA, Agent.class);
            a1.await("agent ready");
            Lines a2 = startIn(net.a, settings, concat(sideA, "-D" + ClusterSettings.PORT + "=5702"), Agent.class);
            a2.await("agent ready");
            Lines b1 = startIn(net.b, settings, List.of(members, "-D" + ClusterSettings.BIND + "=" + net.addressB,
                    "-D" + ClusterSettings.ALLOW_REMOTE + "=true"), Agent.class);
            String readyB = b1.await("agent ready");
            assertTrue(readyB.contains("3 member(s)") && readyB.contains("fewer than 2 members refuses"), readyB);
            Lines major = startIn(net.a, settings, List.of("-D" + ClusterSettings.MEMBERS + "=" + net.addressA + ":5701",
                    "-Dmultiprocessing4j.transport=" + HazelcastTransportProvider.NAME), AgentProgram.class, "majority");
            Lines minor = startIn(net.b, settings, List.of("-D" + ClusterSettings.MEMBERS + "=" + net.addressB + ":5701",
                    "-Dmultiprocessing4j.transport=" + HazelcastTransportProvider.NAME), AgentProgram.class, "minority");
            assertEquals("majority before: before", major.await("majority before"), major.all());
            assertEquals("majority: before", minor.await("majority: before"), minor.all());
            major.await("ready");
            minor.await("ready");
            net.cut();
            for (Lines program : List.of(major, minor)) {
                goOn(program);
            }
            assertMinorityRefuses(minor);
            assertEquals("majority after the cut: lock and queue went through: after", major.await("majority after"),
                    major.all());
        }
    }

    /** Says "go on" to a program waiting for a line. */
    private static void goOn(Lines program) throws IOException {
        try (Writer w = new OutputStreamWriter(program.process.getOutputStream(), StandardCharsets.UTF_8)) {
            w.write("go on\n");
        }
    }

    /** Checks that the program's lock, queue put and queue get were refused by split-brain protection. */
    private static void assertMinorityRefuses(Lines program) throws InterruptedException {
        String lock = program.await("minority lock");
        assertTrue(lock.startsWith("minority lock refused: refused on lock-") && lock.contains("split-brain protection"),
                lock + "\n" + program.all());
        for (String what : List.of("minority queue refused", "minority queue get refused")) {
            String line = program.await(what.substring(0, what.length() - " refused".length()));
            assertTrue(line.startsWith(what) && line.contains("split-brain protection"), line + "\n" + program.all());
        }
    }

    private static List<String> concat(List<String> list, String more) {
        List<String> all = new ArrayList<>(list);
        all.add(more);
        return all;
    }

    /**
     * Two network namespaces joined by a veth pair (addresses {@code 10.77.0.1} and {@code
     * .2}); {@link #cut()} takes the link down, as a partition between two hosts would. Named
     * after this JVM's pid; those of a dead JVM are removed first. Needs root and iproute2.
     */
    private static final class Namespaces implements AutoCloseable {
        static final String IP = "/usr/sbin/ip";
        private static final String PREFIX = "mp4j-test-";
        final String a = PREFIX + ProcessHandle.current().pid() + "-a";
        final String b = PREFIX + ProcessHandle.current().pid() + "-b";
        final String addressA = "10.77.0.1";
        final String addressB = "10.77.0.2";
        private final String linkA = "mp4ja" + ProcessHandle.current().pid();

        static boolean available() {
            return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of(IP));
        }

        Namespaces() throws IOException, InterruptedException {
            sweepDead();
            String linkB = "mp4jb" + ProcessHandle.current().pid();
            ip("netns", "add", a);
            ip("netns", "add", b);
            ip("link", "add", linkA, "type", "veth", "peer", "name", linkB);
            ip("link", "set", linkA, "netns", a);
            ip("link", "set", linkB, "netns", b);
            ip("-n", a, "addr", "add", addressA + "/24", "dev", linkA);
            ip("-n", b, "addr", "add", addressB + "/24", "dev", linkB);
            for (String[] side : new String[][] {{a, linkA}, {b, linkB}}) {
                ip("-n", side[0], "link", "set", "lo", "up");
                ip("-n", side[0], "link", "set", side[1], "up");
            }
        }

        /** Cuts the network between the two sides. */
        void cut() throws IOException, InterruptedException {
            ip("-n", a, "link", "set", linkA, "down");
        }

        @Override
        public void close() throws IOException {
            try {
                ip("netns", "delete", a); // takes the veth pair with it
                ip("netns", "delete", b);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while removing the namespaces " + a + " and " + b, e);
            }
        }

        /** Removes the namespaces of test JVMs that died before removing theirs. */
        private static void sweepDead() throws IOException, InterruptedException {
            java.lang.Process list = new ProcessBuilder(IP, "netns", "list").redirectErrorStream(true).start();
            String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            list.waitFor();
            for (String line : out.split("\n")) {
                String name = line.split(" ")[0];
                if (name.startsWith(PREFIX)) {
                    long pid = Long.parseLong(name.substring(PREFIX.length(), name.lastIndexOf('-')));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        ip("netns", "delete", name);
                    }
                }
            }
        }

        private static void ip(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(IP));
            cmd.addAll(List.of(args));
            java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        }
    }

    private static String addressOf(Lines agent) throws InterruptedException {
        return addressOf(agent.await("agent ready"));
    }

    private static String addressOf(String readyLine) {
        return readyLine.replaceAll(".* at ([^,]+),.*", "$1");
    }


    private Lines program(List<String> settings, String agentAddress, String... args) throws IOException {
        // storeSaving=0: the program's pools store large values whatever their size saves
        return start(settings, List.of("-D" + ClusterSettings.MEMBERS + "=" + agentAddress,
                "-Dmultiprocessing4j.transport=" + HazelcastTransportProvider.NAME,
                "-Dmultiprocessing4j.pool.storeSaving=0"), AgentProgram.class, args);
    }

    private List<String> keyAndName(int port) throws IOException {
        Path key = dir.resolve("key");
        Files.write(key, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return List.of(
                "-D" + ClusterSettings.AUTHKEY_FILE + "=" + key,
                "-D" + ClusterSettings.CLUSTER_NAME + "=agent-test-" + UUID.randomUUID(),
                "-D" + ClusterSettings.PORT + "=" + port);
    }

    private Lines start(List<String> settings, List<String> more, Class<?> main, String... args) throws IOException {
        return startIn(null, CLASS_PATH, settings, more, main, args);
    }

    /**
     * {@return this JVM's class path with a copy of the test classes that lacks {@code missing}},
     * for an agent that has not got the program's every class
     */
    private String classPathWithout(Class<?> missing) throws IOException {
        Path classes = Path.of(missing.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path pruned = dir.resolve("pruned-classes");
        String drop = missing.getName().replace('.', '/') + ".class";
        try (java.util.stream.Stream<Path> all = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String relative = classes.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    Files.createDirectories(pruned.resolve(relative));
                } else if (!relative.equals(drop)) {
                    Files.copy(p, pruned.resolve(relative));
                }
            }
        }
        assertTrue(Files.exists(classes.resolve(drop)) && !Files.exists(pruned.resolve(drop)), drop);
        return java.util.Arrays.stream(CLASS_PATH.split(java.io.File.pathSeparator))
                .map(e -> Path.of(e).equals(classes) ? pruned.toString() : e)
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private Lines startIn(@Nullable String namespace, List<String> settings, List<String> more, Class<?> main,
                          String... args) throws IOException {
        return startIn(namespace, CLASS_PATH, settings, more, main, args);
    }

    /** Starts a JVM, in a network namespace if one is named; its stdin is its lifeline. */
    private Lines startIn(@Nullable String namespace, String classPath, List<String> settings, List<String> more,
                          Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (namespace != null) {
            cmd.addAll(List.of(Namespaces.IP, "netns", "exec", namespace)); // which execs java: the pid is java's
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-D" + Agent.EXIT_ON_STDIN_EOF + "=true");
        cmd.add(HazelcastTransportProvider.UNSAFE_MEMORY_ACCESS);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(settings);
        cmd.addAll(more);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        started.add(p);
        return new Lines(p);
    }

    /** The output lines of a process, read in the background. */
    private static final class Lines {
        final java.lang.Process process;
        /** The agent's ready line, once read. */
        String first = "";
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder all = new StringBuilder();

        Lines(java.lang.Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (all) {
                            all.append(line).append('\n');
                        }
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        String await(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no line starting with '" + prefix + "' in time; output:\n" + all());
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        String all() {
            synchronized (all) {
                return all.toString();
            }
        }
    }
}
