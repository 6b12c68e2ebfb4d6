package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.multiprocessing4j.internal.ProcessRuntime.RootInfo;
import org.multiprocessing4j.internal.ProcessStartTime;

/**
 * The tracking file of a process tree, {@code mp4j-<rootPid>-<rootStart>.segments} in the shm
 * directory: every process of the tree appends a line when it creates a segment, unlinks one,
 * or keeps one, and the root reads it at exit to unlink what the tree left. A root killed
 * before that leaves the file behind; the next root's {@link #sweep} finds it, sees that its
 * root is dead (its pid runs no more, or runs a process of another start time), and does the
 * cleanup in its place.
 *
 * <p>Lines are appended with {@code O_APPEND}, each in one write, so processes never interleave
 * within a line. The file has mode 0600 and is only trusted when this user owns it.
 * <pre>
 * + NAME FILEKEY   created NAME, whose file had FILEKEY (device and inode; "-" if unknown)
 * - NAME           unlinked NAME (the user did it: nothing to do, nothing to warn about)
 * k NAME           keep NAME after the tree ends (deliberate sharing)
 * </pre>
 * At cleanup a tracked name is unlinked only if its file still has the recorded key, so a
 * segment someone else made under that name since is left alone. Generated names of the tree
 * that no line mentions (a process killed between creating a segment and recording it) are
 * removed too, unless kept.
 */
public final class SegmentTracker {
    private static final String NO_KEY = "-";

    private final Path file;

    /**
     * A tracker of the tree's segments in the directory.
     *
     * @param directory the shm directory
     * @param root      the tree's root
     */
    public SegmentTracker(Path directory, RootInfo root) {
        this.file = directory.resolve(SegmentNames.trackingFile(root));
    }

    /** {@return the tracking file} */
    public Path file() {
        return file;
    }

    /**
     * Makes sure the tracking file exists, before a segment is created: a root that dies right
     * after creating its first segment must leave a file for the sweep to find.
     *
     * @throws IOException if it cannot be created, or is not this user's
     */
    public void prepare() throws IOException {
        append("");
    }

    /**
     * Records a segment this process created.
     *
     * @param segment the new segment
     * @throws IOException if the tracking file cannot be written
     */
    public void created(MappedSegment segment) throws IOException {
        String key = segment.fileKey() == null ? NO_KEY : keyText(segment.fileKey());
        append("+ " + segment.name() + " " + key + "\n");
    }

    /**
     * Records that a segment was unlinked by the user, if this tree tracks anything.
     *
     * @param name the segment
     * @throws IOException if the tracking file cannot be written
     */
    public void unlinked(String name) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            append("- " + name + "\n");
        }
    }

    /**
     * Records that a segment is to outlive the tree.
     *
     * @param name the segment
     * @throws IOException if the tracking file cannot be written
     */
    public void kept(String name) throws IOException {
        append("k " + name + "\n");
    }

    private void append(String line) throws IOException {
        org.multiprocessing4j.internal.net.ChannelIo.shielded(() -> {
            appendOnce(line);
            return null;
        });
    }

    private void appendOnce(String line) throws IOException {
        try (FileChannel channel = FileChannel.open(file, Set.<OpenOption>of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            if (!isMine(file)) {
                throw new IOException("the shared memory tracking file " + file
                        + " belongs to another user; remove it, it is not this program's");
            }
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    /**
     * Unlinks what a tree left: its tracked segments (whose files still have the recorded key)
     * and its untracked generated names, except what it kept; then the tracking file. Does
     * nothing when there is no tracking file, or another user owns it. Never throws for a file
     * that another process removed meanwhile.
     *
     * @param directory the shm directory
     * @param root      the tree's root
     * @return the number of segments unlinked
     * @throws IOException if the directory cannot be read
     */
    public static int cleanUp(Path directory, RootInfo root) throws IOException {
        Path file = directory.resolve(SegmentNames.trackingFile(root));
        List<String> lines;
        try {
            if (!isMine(file)) {
                return 0;
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return 0;
        }
        Map<String, String> tracked = new LinkedHashMap<>();
        Set<String> kept = new HashSet<>();
        for (String line : lines) {
            String[] fields = line.split(" ");
            switch (fields[0]) {
                case "+" -> {
                    if (fields.length == 3) {
                        tracked.put(fields[1], fields[2]);
                        kept.remove(fields[1]);
                    }
                }
                case "-" -> {
                    if (fields.length == 2) {
                        tracked.remove(fields[1]);
                        kept.remove(fields[1]);
                    }
                }
                case "k" -> {
                    if (fields.length == 2) {
                        tracked.remove(fields[1]);
                        kept.add(fields[1]);
                    }
                }
                default -> {
                    // an empty or torn line: nothing to do
                }
            }
        }
        int removed = 0;
        for (Map.Entry<String, String> e : tracked.entrySet()) {
            if (deleteIfKey(directory.resolve(e.getKey()), e.getValue())) {
                removed++;
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, SegmentNames.PREFIX + "*")) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (root.equals(SegmentNames.rootOfGenerated(name)) && !kept.contains(name) && !tracked.containsKey(name)
                        && deleteQuietly(p)) {
                    removed++;
                }
            }
        }
        deleteQuietly(file);
        return removed;
    }

    /**
     * Cleans up after every tree of this user whose root is dead: its pid runs no more, or runs
     * a process that started at another time (a reused pid). A live root's files are never
     * touched, nor other users' files.
     *
     * @param directory the shm directory
     * @param self      the calling tree's root, skipped
     * @return the number of dead trees cleaned up
     * @throws IOException if the directory cannot be read
     */
    public static int sweep(Path directory, RootInfo self) throws IOException {
        int swept = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, SegmentNames.PREFIX + "*")) {
            for (Path p : entries) {
                RootInfo root = SegmentNames.rootOfTrackingFile(p.getFileName().toString());
                if (root == null || root.equals(self) || ProcessStartTime.isRunning(root.pid(), root.startTime())) {
                    continue;
                }
                cleanUp(directory, root);
                swept++;
            }
        }
        return swept;
    }

    private static boolean deleteIfKey(Path path, String key) {
        try {
            if (!key.equals(NO_KEY)) {
                Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
                if (now == null || !key.equals(keyText(now))) {
                    return false; // another segment of that name, made by someone else since
                }
            }
            return deleteQuietly(path);
        } catch (IOException gone) {
            return false;
        }
    }

    private static boolean deleteQuietly(Path path) {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException notOurs) {
            return false;
        }
    }

    private static String keyText(Object fileKey) {
        return fileKey.toString().replace(' ', '_');
    }

    /**
     * {@return whether this process's user owns the file; true when the OS cannot tell}
     *
     * @throws NoSuchFileException if there is no such file
     */
    private static boolean isMine(Path path) throws IOException {
        Object owner;
        try {
            owner = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return true;
        }
        Object mine;
        try {
            mine = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noProc) {
            return true;
        }
        return Objects.equals(owner, mine);
    }

    @Override
    public String toString() {
        return "SegmentTracker[" + file + "]";
    }
}
