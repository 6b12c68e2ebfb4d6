package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;

@DisplayName("segments in /dev/shm")
class SegmentsTest extends ChildProcessTest {

    static List<String> filesOf(long pid) throws IOException {
        try (Stream<Path> files = Files.list(Segments.DIRECTORY)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(Segments.PREFIX + pid + "-")).toList();
        }
    }

    static void makeLockThenWait() throws InterruptedException {
        new Lock();
        System.out.println("made");
        Thread.sleep(600_000);
    }

    @Test
    @DisplayName("are mode 0600, named after their creator, and a child's are gone when it ends")
    void childEnds() throws Exception {
        String name = Segments.create(4096);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(Segments.DIRECTORY.resolve(name))));
        assertEquals(ProcessIdentity.current(), Segments.creatorOf(name));
        Process p = start(() -> new Lock());
        assertTrue(p.join(PATIENCE));
        assertEquals(List.of(), filesOf(p.pid()));
    }

    @Test
    @DisplayName("a killed child's segment stays until a sweep, which removes it because its creator is dead")
    void killedChildSwept() throws Exception {
        Process p = start(SegmentsTest::makeLockThenWait);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (filesOf(p.pid()).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the child made no segment");
            Thread.sleep(10);
        }
        p.kill();
        assertTrue(p.join(PATIENCE));
        assertFalse(filesOf(p.pid()).isEmpty(), "a SIGKILLed process cannot unlink");
        Segments.sweep();
        assertEquals(List.of(), filesOf(p.pid()));
    }

    /** The root of the tree that {@link #rootLeavesNothing()} starts. */
    static final class Root {
        public static void main(String[] args) throws Exception {
            Lock lock = new Lock();
            lock.lock();
            Process child = Multiprocessing.getContext("sharedmem").process(SegmentsTest::makeLockThenWait);
            child.start();
            while (filesOf(child.pid()).isEmpty()) {
                Thread.sleep(10);
            }
            System.out.println("child " + child.pid());
            child.kill();
            child.join();
        }
    }

    @Test
    @DisplayName("a whole tree, a killed child included, leaves no file in /dev/shm once its root exits")
    void rootLeavesNothing() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        java.lang.Process root = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Root.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(root.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(root.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, root.exitValue(), out);
        String line = out.lines().filter(l -> l.startsWith("child ")).findFirst().orElseThrow(() -> new AssertionError(out));
        long child = Long.parseLong(line.substring("child ".length()).trim());
        assertEquals(List.of(), filesOf(root.pid()));
        assertEquals(List.of(), filesOf(child));
    }
}
