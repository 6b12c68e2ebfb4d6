package org.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.internal.ProcessRuntime.RootInfo;
import org.multiprocessing4j.internal.ProcessStartTime;

@DisplayName("the tracking file: cleanup at a root's exit, and the sweep of dead roots (in a temp directory)")
class SegmentTrackerTest {
    @TempDir
    Path dir;

    private static final RootInfo DEAD = new RootInfo(Integer.MAX_VALUE - 7, 12345);

    private MappedSegment create(SegmentTracker tracker, String name) throws IOException {
        tracker.prepare();
        MappedSegment s = MappedSegment.create(dir, name, 16);
        tracker.created(s);
        s.close();
        return s;
    }

    private Set<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    @DisplayName("cleanup unlinks what is tracked, not what was unlinked or kept, and removes the tracking file")
    void cleanUp() throws IOException {
        SegmentTracker tracker = new SegmentTracker(dir, DEAD);
        create(tracker, "tracked");
        create(tracker, "kept");
        tracker.kept("kept");
        create(tracker, "gone");
        MappedSegment.unlink(dir, "gone");
        tracker.unlinked("gone");
        String generated = SegmentNames.generate(DEAD);
        create(tracker, generated);
        assertEquals(2, SegmentTracker.cleanUp(dir, DEAD), "tracked and the generated one");
        assertEquals(Set.of("kept"), files());
    }

    @Test
    @DisplayName("a segment made again under a tracked name by someone else (another file) is left alone")
    void foreignSegmentOfSameName() throws IOException {
        SegmentTracker tracker = new SegmentTracker(dir, DEAD);
        create(tracker, "reused");
        Path moved = dir.resolve("moved-away");
        Files.move(dir.resolve("reused"), moved); // keeps its inode from being handed out again
        MappedSegment.create(dir, "reused", 8).close(); // another file, another inode, nobody recorded it
        SegmentTracker.cleanUp(dir, DEAD);
        assertTrue(files().contains("reused"), files().toString());
    }

    @Test
    @DisplayName("an unrecorded generated name of the dead tree goes (killed between create and record); other trees' stay")
    void unrecordedGeneratedNames() throws IOException {
        SegmentTracker tracker = new SegmentTracker(dir, DEAD);
        tracker.prepare();
        String orphan = SegmentNames.generate(DEAD);
        MappedSegment.create(dir, orphan, 8).close();
        RootInfo other = new RootInfo(DEAD.pid() + 1, 1);
        String othersName = SegmentNames.generate(other);
        MappedSegment.create(dir, othersName, 8).close();
        SegmentTracker.cleanUp(dir, DEAD);
        assertEquals(Set.of(othersName), files());
    }

    /** A root whose process has ended: a pid no live process has (until reused, which the start time tells). */
    private static RootInfo endedRoot() throws Exception {
        java.lang.Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        return new RootInfo(ended.pid(), 77);
    }

    private static RootInfo selfRoot() {
        long pid = ProcessHandle.current().pid();
        return new RootInfo(pid, ProcessStartTime.of(pid));
    }

    @Test
    @DisplayName("the sweep cleans up dead roots (gone, or pid reused by a later process) and never a live root")
    void sweep() throws Exception {
        RootInfo gone = endedRoot();
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
        long parentStart = ProcessStartTime.of(parent.pid());
        RootInfo live = new RootInfo(parent.pid(), parentStart);
        RootInfo reused = new RootInfo(parent.pid(), parentStart + 1);
        RootInfo self = selfRoot();
        for (RootInfo r : new RootInfo[] {gone, live, reused, self}) {
            create(new SegmentTracker(dir, r), SegmentNames.generate(r));
        }
        Set<String> before = files();
        assertEquals(8, before.size());

        assertEquals(2, SegmentTracker.sweep(dir, self));
        Set<String> after = files();
        assertEquals(4, after.size(), after.toString());
        assertTrue(after.contains(SegmentNames.trackingFile(live)));
        assertTrue(after.contains(SegmentNames.trackingFile(self)));
        assertTrue(after.stream().allMatch(n -> n.startsWith(SegmentNames.trackingFile(live).replace(".segments", ""))
                || n.startsWith(SegmentNames.trackingFile(self).replace(".segments", ""))), after.toString());
    }

    @Test
    @DisplayName("a root's runtime sweeps on a thread of its own, and awaitSweep waits for it; a child's does not sweep")
    void sweepInBackground() throws Exception {
        RootInfo gone = endedRoot();
        RootInfo self = selfRoot();
        create(new SegmentTracker(dir, gone), SegmentNames.generate(gone));
        Set<String> left = files();
        assertEquals(2, left.size(), left.toString());

        SharedMemoryRuntime.start(dir, self, false).awaitSweep();
        assertEquals(left, files(), "a runtime that is not its tree's root swept");
        SharedMemoryRuntime.start(dir, self, true).awaitSweep();
        assertEquals(Set.of(), files(), "the dead root's files were not swept by the time awaitSweep returned");
    }

    @Test
    @DisplayName("names: generated ones parse back to their root; tracking files too; users cannot take the prefix")
    void names() {
        RootInfo root = new RootInfo(4242, 987654321);
        String name = SegmentNames.generate(root);
        assertEquals(root, SegmentNames.rootOfGenerated(name));
        assertNull(SegmentNames.rootOfTrackingFile(name));
        assertEquals(root, SegmentNames.rootOfTrackingFile(SegmentNames.trackingFile(root)));
        assertNull(SegmentNames.rootOfGenerated("mp4j-ipc-1-2-3"));
        assertEquals(name, SegmentNames.checkForAttach(name));
        assertThrows(IllegalArgumentException.class, () -> SegmentNames.checkForCreate(name));
        assertEquals("my.segment_1-a", SegmentNames.checkForCreate("my.segment_1-a"));
        assertThrows(IllegalArgumentException.class, () -> SegmentNames.checkForCreate("-x"));
        assertThrows(IllegalArgumentException.class, () -> SegmentNames.checkForCreate("a b"));
    }

    @Test
    @DisplayName("the directory is /dev/shm where it is a writable directory, else the temp directory")
    void directory() throws IOException {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        assertEquals(dir, ShmDirectory.choose(dir, tmp));
        assertEquals(tmp, ShmDirectory.choose(dir.resolve("missing"), tmp));
        Path file = Files.createFile(dir.resolve("a-file"));
        assertEquals(tmp, ShmDirectory.choose(file, tmp));
        assertFalse(Files.exists(dir.resolve("missing")));
    }
}
