package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Process: child JVMs with Python's names, exit codes and life cycle")
class ProcessTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private final List<Process> started = new ArrayList<>();

    private Process start(Process p) {
        started.add(p);
        p.start();
        return p;
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            try {
                if (p.pid() != null && p.isAlive()) {
                    p.kill();
                    p.join(PATIENCE);
                }
            } catch (IllegalStateException closedByTheTest) {
                // a closed process has ended already
            }
        }
    }

    @Test
    @DisplayName("a target that returns ends with exit code 0, and exitCode is null before start and while running")
    void exitCodeZero() throws Exception {
        Process p = new Process(() -> Targets.sleep(300));
        assertNull(p.exitCode());
        assertNull(p.pid());
        assertFalse(p.isAlive());
        start(p);
        assertTrue(p.isAlive());
        assertNull(p.exitCode());
        assertNotNull(p.pid());
        p.join();
        assertFalse(p.isAlive());
        assertEquals(0, p.exitCode());
    }

    @Test
    @DisplayName("an uncaught exception prints 'Process <name>:' and the stack trace on stderr, and exits 1")
    void exceptionExitsOne() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process p = start(new Process(() -> Targets.fail("boom from the child")));
            p.join();
            assertEquals(1, p.exitCode());
            String err = out.err();
            assertTrue(err.contains("Process " + p.name() + ":"), err);
            assertTrue(err.contains("java.io.IOException: boom from the child"), err);
            assertTrue(err.contains("at org.multiprocessing4j.Targets.fail"), err);
        }
    }

    @Test
    @DisplayName("System.exit(3) in the target gives exit code 3")
    void systemExitCode() throws Exception {
        Process p = start(new Process(() -> System.exit(3)));
        p.join();
        assertEquals(3, p.exitCode());
    }

    @Test
    @DisplayName("a target that halts the JVM at once still counts as started: start() returns, the exit code is the halt's")
    void haltAtOnce() throws Exception {
        // The child's Started frame used to be queued on its link when the target ran, so a
        // halt could end the JVM before it was written: about one start in three failed.
        for (int i = 0; i < 4; i++) {
            Process p = start(new Process(() -> Runtime.getRuntime().halt(3)));
            p.join();
            assertEquals(3, p.exitCode());
        }
    }

    @Test
    @DisplayName("kill gives -9 and terminate gives -15")
    void killAndTerminate() throws Exception {
        Process killed = start(new Process(() -> Targets.sleep(60_000)));
        Process terminated = start(new Process(() -> Targets.sleep(60_000)));
        killed.kill();
        terminated.terminate();
        assertTrue(killed.join(PATIENCE));
        assertTrue(terminated.join(PATIENCE));
        assertEquals(-9, killed.exitCode());
        assertEquals(-15, terminated.exitCode());
    }

    @Test
    @DisplayName("join(Duration) returns false while the child still runs")
    void joinTimeout() throws Exception {
        Process p = start(new Process(() -> Targets.sleep(60_000)));
        assertFalse(p.join(Duration.ofMillis(200)));
        assertTrue(p.isAlive());
        assertNull(p.exitCode());
        p.terminate();
        assertTrue(p.join(PATIENCE));
    }

    @Test
    @DisplayName("names are Process-N in creation order, and the child sees its own name and its parent")
    void namesInCreationOrder() throws Exception {
        Process a = new Process(Targets::printNames);
        Process b = new Process(Targets::printNames);
        int n = Integer.parseInt(a.name().substring("Process-".length()));
        assertEquals("Process-" + (n + 1), b.name());
        try (CapturedOutput out = new CapturedOutput()) {
            start(b).join();
            long me = ProcessHandle.current().pid();
            assertTrue(out.out().contains("self=" + b.name() + " parent=MainProcess/" + me), out.out());
        }
        assertEquals("MainProcess", Multiprocessing.currentProcess().name());
        assertNull(Multiprocessing.parentProcess());
    }

    @Test
    @DisplayName("a grandchild is named Process-N:1 and its parent is Process-N")
    void grandchildName() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process p = start(new Process(Targets::parentOfPrinter));
            p.join();
            assertEquals(0, p.exitCode(), out.err());
            assertTrue(out.out().contains("self=" + p.name() + ":1 parent=" + p.name() + "/" + p.pid()), out.out());
        }
    }

    @Test
    @DisplayName("a name set before start is the child's name")
    void customName() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            start(new Process(Targets::printName, "my-worker")).join();
            assertTrue(out.out().contains("name=my-worker"), out.out());
        }
    }

    @Test
    @DisplayName("a subclass that overrides run() runs in the child with its fields, named after its class as in Python")
    void subclassRuns() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Greeter greeter = new Greeter("hello from a subclass");
            assertTrue(greeter.name().matches("Greeter-\\d+"), greeter.name());
            start(greeter).join();
            assertTrue(out.out().contains("hello from a subclass in Greeter named " + greeter.name()), out.out());
        }
        Process anonymous = new Process() {
            @Override
            public void run() {}
        };
        assertTrue(anonymous.name().matches("Process-\\d+"), anonymous.name());
    }

    @Test
    @DisplayName("a plain Process travels as its target alone (a filter refusing Process does not stop it); a subclass travels whole")
    void plainProcessTravelsAsItsTarget() throws Exception {
        Context refusing = Context.builder().codec(new DefaultCodec().withFilter("!org.multiprocessing4j.Process")).build();
        try (CapturedOutput out = new CapturedOutput()) {
            Process plain = start(refusing.process(Targets::printName));
            plain.join();
            assertEquals(0, plain.exitCode(), out.err());
            assertTrue(out.out().contains("name=" + plain.name()), out.out());
        }
        Process whole = new Announcer(refusing, "refused");
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> start(whole));
        assertTrue(e.getMessage().contains("org.multiprocessing4j.Process"), e.getMessage());
    }

    static final class Announcer extends Process {
        private static final long serialVersionUID = 1L;
        private final String word;

        Announcer(Context context, String word) {
            super(context);
            this.word = word;
        }

        @Override
        public void run() {
            System.out.println(word);
        }
    }

    static final class Greeter extends Process {
        private static final long serialVersionUID = 1L;
        private final String greeting;

        Greeter(String greeting) {
            this.greeting = greeting;
        }

        @Override
        public void run() {
            Process current = Multiprocessing.currentProcess();
            System.out.println(greeting + " in " + current.getClass().getSimpleName() + " named " + current.name());
        }
    }

    @Test
    @DisplayName("a target capturing a non-serializable object fails in start(), naming its class, and starts nothing")
    void unserializableTarget() {
        Object notSerializable = new Object() {
            @Override
            public String toString() {
                return "local";
            }
        };
        Process p = new Process(() -> System.out.println(notSerializable));
        CodecException e = assertThrows(CodecException.class, p::start);
        assertTrue(e.getMessage().contains(notSerializable.getClass().getName()), e.getMessage());
        assertNull(p.pid());
    }

    @Test
    @DisplayName("misuse is refused: start twice, join before start, close while running, use after close")
    void misuse() throws Exception {
        Process unstarted = new Process(() -> { });
        assertThrows(IllegalStateException.class, unstarted::join);
        assertThrows(IllegalStateException.class, unstarted::terminate);
        Process p = start(new Process(() -> Targets.sleep(60_000)));
        IllegalStateException twice = assertThrows(IllegalStateException.class, p::start);
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        assertThrows(IllegalStateException.class, p::close);
        assertThrows(IllegalStateException.class, () -> p.setDaemon(true));
        p.kill();
        p.join();
        p.close();
        assertThrows(IllegalStateException.class, p::isAlive);
        assertThrows(IllegalStateException.class, p::exitCode);
        assertThrows(IllegalStateException.class, p::start);
        assertThrows(IllegalStateException.class, () -> Multiprocessing.currentProcess().join());
        assertThrows(IllegalStateException.class, () -> Multiprocessing.currentProcess().start());
    }

    @Test
    @DisplayName("activeChildren lists running children and forgets ended ones")
    void activeChildren() throws Exception {
        Process p = start(new Process(() -> Targets.sleep(60_000)));
        assertTrue(Multiprocessing.activeChildren().contains(p));
        p.kill();
        p.join();
        assertFalse(Multiprocessing.activeChildren().contains(p));
        assertTrue(Multiprocessing.cpuCount() >= 1);
    }

    @Test
    @DisplayName("a context naming a transport the class path lacks fails start(), naming it, and starts nothing")
    void unknownTransport() {
        Context nowhere = Context.builder().transport("no-such-transport").build();
        Process p = nowhere.process(() -> { });
        ProcessStartException e = assertThrows(ProcessStartException.class, p::start);
        assertTrue(e.getMessage().contains("no-such-transport"), e.getMessage());
        assertNull(p.pid());
        assertFalse(Multiprocessing.activeChildren().contains(p));
    }

    @Test
    @DisplayName("a child's defaultTransport() is the one it was started with, whatever its own system property says")
    void childsDefaultTransport() throws Exception {
        List<String> options = new ArrayList<>(Multiprocessing.getContext().jvmOptions());
        options.add("-Dmultiprocessing4j.transport=fake-broken"); // what the child would pick by itself
        Context bound = Multiprocessing.getContext("fake-good").toBuilder().jvmOptions(options).build();
        Queue<String> told = new Queue<>();
        Process p = start(bound.process(() -> told.put(Multiprocessing.defaultTransport())));
        assertEquals("fake-good", told.get(PATIENCE));
        p.join();
    }

    @Test
    @DisplayName("an ended child leaves no thread behind in its parent, without close(): its link's writer ends with it")
    void endedChildLeavesNoThread() throws Exception {
        Lock lock = new Lock();
        Process p = start(new Process(() -> {
            lock.acquire(); // the parent answers: its link to this child starts a writer thread
            lock.release();
        }));
        p.join();
        assertEquals(0, p.exitCode());
        String writer = "multiprocessing4j-writer (link to " + p.name() + ")";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (threadNamed(writer) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(threadNamed(writer), writer + " still runs after its child ended");
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    @DisplayName("a child whose parent is killed with SIGKILL exits by itself (the stdin lifeline)")
    void lifeline() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process parent = start(new Process(() -> Targets.parentOfSleeper(false, 60_000)));
            long grandchild = grandchildPid(out.awaitOut("grandchild-pid=", PATIENCE));
            long killed = System.nanoTime();
            parent.kill();
            parent.join();
            assertTrue(Targets.waitUntilDead(grandchild, PATIENCE), "the grandchild outlived its parent");
            // Reported, not asserted: this machine is shared and timings are noisy.
            System.err.printf("lifeline: the grandchild was gone %d ms after its parent was killed%n",
                    (System.nanoTime() - killed) / 1_000_000);
        }
    }

    @Test
    @DisplayName("at normal exit a process terminates its daemon children (even those without a lifeline)")
    void daemonChildrenTerminated() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process parent = start(new Process(() -> Targets.parentOfSleeper(true, 0, false)));
            parent.join();
            assertEquals(0, parent.exitCode(), out.err());
            long grandchild = grandchildPid(out.out());
            try {
                assertTrue(Targets.waitUntilDead(grandchild, PATIENCE), "the daemon grandchild outlived its parent");
            } finally {
                ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    @DisplayName("exitWithParent(false): a child outlives its parent killed with SIGKILL")
    void lifelineOptOut() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process parent = start(new Process(() -> Targets.parentOfSleeper(false, 60_000, false)));
            long grandchild = grandchildPid(out.awaitOut("grandchild-pid=", PATIENCE));
            try {
                parent.kill();
                parent.join();
                assertFalse(Targets.waitUntilDead(grandchild, Duration.ofSeconds(2)), "the grandchild died with its parent");
            } finally {
                ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    @DisplayName("a child that outlives its parent is not left waiting on the parent's objects: ProcessGoneException")
    void orphanIsToldItsOwnerIsGone() throws Exception {
        Path marker = Files.createTempFile("orphan", ".txt");
        Files.delete(marker);
        try (CapturedOutput out = new CapturedOutput()) {
            String markerName = marker.toString();
            Process owner = start(new Process(() -> Targets.ownerOfAWaitingOrphan(markerName)));
            long orphan = grandchildPid(out.awaitOut("grandchild-pid=", PATIENCE));
            try {
                Thread.sleep(300); // let the orphan reach its get
                owner.kill();
                owner.join();
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                // Files.writeString creates the file before it writes: wait for the words too.
                while ((!Files.exists(marker) || Files.size(marker) == 0) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(Files.exists(marker), "the orphan was left waiting on its dead parent's queue");
                assertTrue(Files.readString(marker).startsWith("gone: "), Files.readString(marker));
            } finally {
                ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
                Files.deleteIfExists(marker);
            }
        }
    }

    @Test
    @DisplayName("SIGTERM to a process already waiting at exit for a non-daemon child terminates the child and ends it")
    void terminateDuringTheExitWait() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            // its target returns at once: it then waits at exit for its 60 s child, as Python's does
            Process parent = start(new Process(() -> Targets.parentOfSleeper(false, 0, true)));
            long grandchild = grandchildPid(out.awaitOut("grandchild-pid=", PATIENCE));
            try {
                assertFalse(parent.join(Duration.ofSeconds(1)), "the parent did not wait for its child");
                parent.terminate();
                assertTrue(parent.join(PATIENCE), "SIGTERM did not end a parent waiting at exit");
                assertEquals(0, parent.exitCode(), "the exit under way keeps its status");
                assertTrue(Targets.waitUntilDead(grandchild, PATIENCE), "the grandchild outlived its terminated parent");
            } finally {
                parent.kill();
                ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    @DisplayName("SIGTERM to a process terminates its non-daemon children instead of waiting for them")
    void terminateDoesNotWaitForChildren() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process parent = start(new Process(() -> Targets.parentOfSleeper(false, 60_000, true)));
            long grandchild = grandchildPid(out.awaitOut("grandchild-pid=", PATIENCE));
            try {
                parent.terminate();
                assertTrue(parent.join(PATIENCE), "the terminated parent waited for its child");
                assertEquals(-15, parent.exitCode());
                assertTrue(Targets.waitUntilDead(grandchild, PATIENCE), "the grandchild outlived its terminated parent");
            } finally {
                ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    @DisplayName("exitWithParent(false): a child outlives its parent sent SIGTERM, which neither terminates nor waits for it")
    void terminateLeavesOptedOutChildren() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process parent = start(new Process(() -> Targets.parentOfSleeper(false, 60_000, false)));
            long grandchild = grandchildPid(out.awaitOut("grandchild-pid=", PATIENCE));
            try {
                parent.terminate();
                assertTrue(parent.join(PATIENCE), "the terminated parent waited for its child");
                assertEquals(-15, parent.exitCode());
                assertFalse(Targets.waitUntilDead(grandchild, Duration.ofSeconds(2)), "the grandchild died with its parent");
            } finally {
                ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    @DisplayName("join returns once the child ended, though a process it started still holds the child's stderr")
    void joinDoesNotWaitForInheritedStderr() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process p = start(new Process(Targets::leaveStderrHolder));
            long holder = grandchildPid(out.awaitOut("grandchild-pid=", PATIENCE));
            try {
                Thread joiner = Thread.ofPlatform().start(() -> {
                    try {
                        p.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                joiner.join(PATIENCE);
                assertFalse(joiner.isAlive(), "join() waited for the process holding the child's stderr");
                assertEquals(0, p.exitCode());
                assertTrue(ProcessHandle.of(holder).map(ProcessHandle::isAlive).orElse(false),
                        "the holder ended early, so this test proves nothing");
            } finally {
                ProcessHandle.of(holder).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    @DisplayName("a process a target starts with inheritIO() reads an empty stdin, not the parent's frames to the child")
    void inheritIoLeavesTheLinkAlone() throws Exception {
        Queue<Boolean> ended = new Queue<>();
        Process p = start(new Process(() -> Targets.catInheritingIo(ended)));
        assertEquals(Boolean.TRUE, ended.get(PATIENCE), "cat read something other than end of file on stdin");
        assertEquals(Boolean.TRUE, ended.get(PATIENCE));
        assertTrue(p.join(PATIENCE));
        assertEquals(0, p.exitCode());
    }

    @Test
    @DisplayName("a target that captures a Process fails start() saying why it cannot be passed, not that it is not Serializable")
    void capturedProcessRefused() {
        Process other = new Process(() -> Targets.sleep(0));
        Process p = new Process(() -> System.out.println(other.name()));
        CodecException e = assertThrows(CodecException.class, p::start);
        assertTrue(e.getMessage().contains("a Process object cannot be passed to another process"), e.getMessage());
        assertFalse(e.getMessage().contains("which is not Serializable"), e.getMessage());
        assertNull(p.pid(), "a child was started");
    }

    @Test
    @DisplayName("output without a newline before System.exit still reaches the parent")
    void flushAtExit() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            start(new Process(Targets::printThenExit)).join();
            assertTrue(out.out().contains("no newline"), out.out());
        }
    }

    @Test
    @DisplayName("the process waits for its non-daemon threads after the target returns, as Python does")
    void nonDaemonThreadsJoined() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            start(new Process(Targets::returnBeforeThread)).join();
            assertTrue(out.out().contains("thread done"), out.out());
        }
    }

    @Test
    @DisplayName("a program that inherits the child's stdout cannot corrupt the link: its output goes to stderr")
    void inheritedStdout() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process p = start(new Process(Targets::inheritIo));
            p.join();
            assertEquals(0, p.exitCode(), out.err());
            assertTrue(out.out().contains("link still works"), out.out());
            assertTrue(out.err().contains("from an inherited stdout"), out.err());
        }
    }

    @Test
    @DisplayName("a target larger than the context's maxFrameSize is refused in start(), with the sizes")
    void oversizeTarget() {
        byte[] big = new byte[2 * 1024 * 1024];
        Context ctx = Context.builder().maxFrameSize(1024 * 1024).build();
        Process p = ctx.process(() -> System.out.println(big.length));
        CodecException e = assertThrows(CodecException.class, p::start);
        assertTrue(e.getMessage().contains("maxFrameSize of 1048576"), e.getMessage());
        assertNull(p.pid());
    }

    @Test
    @DisplayName("at normal exit a process joins its non-daemon children")
    void nonDaemonChildrenJoined() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process parent = start(new Process(Targets::parentThatDoesNotJoin));
            parent.join();
            assertEquals(0, parent.exitCode(), out.err());
            String text = out.out();
            assertTrue(text.indexOf("child returns") < text.indexOf("grandchild done"), text);
        }
    }

    @Test
    @DisplayName("a daemon process may not start children")
    void daemonHasNoChildren() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process p = new Process(() -> Targets.parentOfSleeper(false, 0));
            p.setDaemon(true);
            start(p).join();
            assertEquals(1, p.exitCode());
            assertTrue(out.err().contains("daemonic processes are not allowed to have children"), out.err());
        }
    }

    @Test
    @DisplayName("a class path without the bootstrap class fails start() with the JVM's own words")
    void missingBootstrapClass() {
        Context ctx = Context.builder().classPath("/nonexistent/classes").build();
        Process p = ctx.process(() -> { });
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> start(p));
        assertTrue(e.getMessage().contains("cannot start " + p.name() + ": the child JVM ended before running its target (exit code 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("org.multiprocessing4j.internal.ChildMain"), e.getMessage());
    }

    @Test
    @DisplayName("a target whose class is missing on the child's class path fails start(), naming the class")
    void targetClassMissingInChild() throws URISyntaxException {
        String coreOnly = location(Process.class) + java.io.File.pathSeparator
                + location(com.google.protobuf.Message.class);
        Context ctx = Context.builder().classPath(coreOnly).build();
        Process p = ctx.process(Targets::printName);
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> start(p));
        assertTrue(e.getMessage().contains("cannot start " + p.name()), e.getMessage());
        assertTrue(e.getMessage().contains("class org.multiprocessing4j.ProcessTest is not found"), e.getMessage());
    }

    @Test
    @DisplayName("garbage on a child's link closes that link with a clear error; other children are unharmed")
    void garbageOnTheLink() throws Exception {
        Path fake = Files.createTempFile("fake-java", ".sh");
        try {
            // Writes where the link is: descriptor 3 when the launcher moved it there, else 1.
            Files.writeString(fake, "#!/bin/sh\n[ -e /dev/fd/3 ] && exec 1>&3\n"
                    + "echo 'Hello, I am not a JVM'\nexec sleep 30\n");
            assertTrue(fake.toFile().setExecutable(true));
            Context ctx = Context.builder().javaExecutable(fake).build();
            try (CapturedOutput out = new CapturedOutput()) {
                Process p = ctx.process(() -> { });
                ProcessStartException e = assertThrows(ProcessStartException.class, () -> start(p));
                assertTrue(e.getMessage().contains("closing the link to " + p.name()), e.getMessage());
                assertTrue(e.getMessage().contains("starts with 'Hell'"), e.getMessage());
                Process healthy = start(new Process(Targets::printName));
                healthy.join();
                assertEquals(0, healthy.exitCode());
                assertTrue(out.out().contains("name=" + healthy.name()), out.out());
            }
        } finally {
            Files.delete(fake);
        }
    }

    @Test
    @DisplayName("a java binary that does not exist is refused when the context is built")
    void badJavaPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Context.builder().javaExecutable(Path.of("/no/such/java")));
        assertTrue(e.getMessage().contains("/no/such/java"), e.getMessage());
    }

    @Test
    @DisplayName("a java binary that is gone by start() fails start() with the launcher's error")
    void javaGoneAtStart() throws Exception {
        Path launcher = Files.createTempFile("java", "");
        assertTrue(launcher.toFile().setExecutable(true));
        Context ctx = Context.builder().javaExecutable(launcher).build();
        Files.delete(launcher);
        Process p = ctx.process(() -> { });
        ProcessStartException e = assertThrows(ProcessStartException.class, p::start);
        assertTrue(e.getMessage().contains(launcher.toString()), e.getMessage());
        assertNull(p.pid());
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static long grandchildPid(String output) {
        Matcher m = Pattern.compile("grandchild-pid=(\\d+)").matcher(output);
        assertTrue(m.find(), output);
        return Long.parseLong(m.group(1));
    }
}
