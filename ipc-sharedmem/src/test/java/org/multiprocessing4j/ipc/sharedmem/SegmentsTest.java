package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.shm.ShmDirectory;

@DisplayName("segments: core's shared memory, named after the tree's root")
class SegmentsTest extends ChildProcessTest {

    static List<String> filesOfTree(long rootPid) throws IOException {
        try (Stream<Path> files = Files.list(ShmDirectory.standard())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("mp4j-" + rootPid + "-")).toList();
        }
    }

    static void makeLockThenWait(Event made) throws InterruptedException {
        new Lock().acquire();
        new Queue<>().put("an item nobody takes");
        made.set();
        Thread.sleep(600_000);
    }

    @Test
    @DisplayName("blocks and queues live in mode-0600 segments whose names carry the root's pid")
    void namedAfterTheRoot() throws Exception {
        SharedBlock block = SharedBlock.allocate(64);
        SharedBlock own = SharedBlock.allocateSegment(1 << 20);
        long rootPid = ProcessRuntime.current().root().pid();
        for (SharedBlock b : List.of(block, own)) {
            assertTrue(b.segment().startsWith("mp4j-" + rootPid + "-"), b.segment());
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(ShmDirectory.standard().resolve(b.segment()))));
        }
        assertTrue(filesOfTree(rootPid).contains(own.segment()));
    }

    /** The root of the tree that {@link #rootLeavesNothing()} starts. */
    static final class Root {
        public static void main(String[] args) throws Exception {
            Lock lock = new Lock();
            lock.lock();
            Queue<Object> q = new Queue<>();
            q.put(new byte[1 << 20]); // an item in a side segment nobody takes
            Event made = new Event();
            Process child = Multiprocessing.getContext("sharedmem").process(() -> makeLockThenWait(made));
            child.start();
            made.await();
            System.out.println("child made its primitives: " + filesOfTree(ProcessHandle.current().pid()).size());
            child.kill();
            child.join();
        }
    }

    @Test
    @DisplayName("a whole tree, a killed child included, leaves no file in /dev/shm once its root exits")
    void rootLeavesNothing() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        java.lang.Process root = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-Dmultiprocessing4j.transport=sharedmem",
                "-cp", System.getProperty("java.class.path"), Root.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(root.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(root.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, root.exitValue(), out);
        assertTrue(out.contains("child made its primitives"), out);
        assertEquals(List.of(), filesOfTree(root.pid()));
    }
}
