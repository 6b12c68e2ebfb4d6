package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("resource tracking: what a process tree made goes when its root exits, or with the next root's sweep")
class ShmRootTest {
    private static final long PATIENCE_SECONDS = 60;
    private final List<Root> roots = new ArrayList<>();
    private final ShmFiles shm = ShmFiles.snapshot();

    /** A root JVM running {@link ShmRootMain}. */
    private record Root(java.lang.Process os, String prefix, String named, List<String> lines, BufferedReader out) {
        /** @return the files of its tree in the shm directory: generated names, its tracking file, its named one */
        Set<String> files() {
            return ShmFiles.names().stream()
                    .filter(n -> n.startsWith(prefix + "-") || n.equals(prefix + ".segments") || n.equals(named))
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        int finish() throws Exception {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
            assertTrue(os.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "the root JVM did not end");
            return os.exitValue();
        }

        String stderr() throws IOException {
            return new String(os.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Root start(String mode, String waitFor) throws IOException {
        String named = "root-test-" + UUID.randomUUID();
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ShmRootMain.class.getName(), mode, named);
        java.lang.Process os = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(os.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String first = out.readLine();
        if (first == null || !first.startsWith("prefix ")) {
            os.destroyForcibly();
            throw new AssertionError("the root JVM said " + first + "; stderr: "
                    + new String(os.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        Root root = new Root(os, first.substring("prefix ".length()), named, lines, out);
        roots.add(root);
        String line;
        while (!waitFor.isEmpty() && (line = out.readLine()) != null) {
            lines.add(line);
            if (line.equals(waitFor)) {
                break;
            }
        }
        return root;
    }

    @AfterEach
    void killRootsAndCheck() throws Exception {
        for (Root r : roots) {
            r.os().destroyForcibly();
            r.os().waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        // Whatever a test left (a killed root's files), the next sweep removes; then nothing new stays.
        Root sweeper = start("sweep", "");
        assertEquals(0, sweeper.finish());
        shm.assertNothingAddedBut(ShmFiles.ownTrackingFile());
    }

    @Test
    @DisplayName("a root that ends normally leaves nothing: its segments, its value's heap, its child's segment, its tracking file")
    void normalExit() throws Exception {
        Root r = start("normal", "");
        assertEquals(0, r.finish(), r.stderr());
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("child mp4j-")), r.lines().toString());
        assertTrue(r.lines().stream().anyMatch(l -> l.endsWith("value=8")), r.lines().toString());
        assertEquals(Set.of(), r.files());
        assertEquals("", r.stderr(), "no warnings, also not for the segment the program unlinked itself");
    }

    @Test
    @DisplayName("a root that ends with an uncaught exception leaves nothing")
    void exceptionExit() throws Exception {
        Root r = start("throw", "");
        assertEquals(1, r.finish());
        assertTrue(r.stderr().contains("thrown on purpose"));
        assertEquals(Set.of(), r.files());
    }

    @Test
    @DisplayName("kept segments outlive the root; the rest goes")
    void keptSegmentsStay() throws Exception {
        Root r = start("keep", "");
        assertEquals(0, r.finish(), r.stderr());
        String kept = r.lines().stream().filter(l -> l.startsWith("kept ")).findFirst().orElseThrow();
        Set<String> keptNames = Set.of(kept.substring("kept ".length()).split(" "));
        assertEquals(keptNames, r.files());
        for (String name : keptNames) {
            SharedMemory.attach(name).unlink();
        }
        assertEquals(Set.of(), r.files());
    }

    @Test
    @DisplayName("a root killed with SIGKILL leaves its segments; the next root sweeps them, but never a live root's")
    void killedRootIsSwept() throws Exception {
        Root killed = start("hang", "ready");
        Root alive = start("hang", "ready");
        Set<String> killedFiles = killed.files();
        // a generated segment (the other was unlinked), the value's heap segment, the child's,
        // the named one, the tracking file
        assertEquals(5, killedFiles.size(), killedFiles.toString());
        assertTrue(killedFiles.contains(killed.prefix() + ".segments"), killedFiles.toString());
        Set<String> aliveFiles = alive.files();
        assertEquals(5, aliveFiles.size(), aliveFiles.toString());

        killed.os().destroyForcibly();
        assertTrue(killed.os().waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS));
        assertEquals(killedFiles, killed.files(), "nobody cleaned up after SIGKILL yet");

        Root sweeper = start("sweep", "");
        assertEquals(0, sweeper.finish(), sweeper.stderr());
        assertEquals(Set.of(), killed.files(), "the sweep removed the dead root's files");
        assertEquals(aliveFiles, alive.files(), "the live root's files are untouched");
        assertTrue(alive.os().isAlive());
        assertFalse(Files.exists(ShmFiles.directory().resolve(killed.named())));
    }
}
