package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.multiprocessing4j.internal.shm.ShmDirectory;

/**
 * The shm directory as tests see it. Other programs of the machine may add and remove files
 * there meanwhile, so tests compare what they care about: files new since a snapshot, or files
 * of one name pattern.
 */
public final class ShmFiles {
    private final Set<String> before;

    private ShmFiles(Set<String> before) {
        this.before = before;
    }

    /** @return a snapshot of the directory now */
    public static ShmFiles snapshot() {
        return new ShmFiles(names());
    }

    /** @return the directory */
    public static Path directory() {
        return ShmDirectory.standard();
    }

    /** @return the names of the files in the directory now */
    public static Set<String> names() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the files made since the snapshot and still there, but for other trees' generated
     * names ({@code mp4j-…} not of this root): other JVMs of this machine, tests of other
     * modules among them, create and remove theirs meanwhile
     */
    public Set<String> added() {
        Set<String> now = names();
        now.removeAll(before);
        String own = ownPrefix();
        now.removeIf(name -> name.startsWith("mp4j-") && !name.startsWith(own)
                // CPython's POSIX semaphores and shared memory (the side-by-side benchmarks)
                || name.startsWith("sem.mp-") || name.startsWith("psm_"));
        return now;
    }

    /**
     * Asserts that every file made since the snapshot is one {@code allowed} accepts.
     *
     * @param allowed what may stay (this JVM's heap segments, its tracking file)
     */
    public void assertNothingAddedBut(Predicate<String> allowed) {
        Set<String> unexpected = added().stream().filter(allowed.negate()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), unexpected, "files left in " + directory());
    }

    /** Asserts that nothing made since the snapshot is left. */
    public void assertNothingAdded() {
        assertNothingAddedBut(name -> false);
    }

    /**
     * @return a predicate for what this JVM's own runtime keeps until exit: its generated
     * names (heap segments of values and arrays) and its tracking file
     */
    public static Predicate<String> ownTreeFiles() {
        String prefix = ownPrefix();
        return name -> name.startsWith(prefix + "-") || name.equals(prefix + ".segments");
    }

    /** @return a predicate for this JVM's tracking file, which stays until exit */
    public static Predicate<String> ownTrackingFile() {
        String file = ownPrefix() + ".segments";
        return file::equals;
    }

    private static String ownPrefix() {
        var root = org.multiprocessing4j.internal.ProcessRuntime.current().root();
        return "mp4j-" + root.pid() + "-" + Long.toString(root.startTime(), 36);
    }
}
