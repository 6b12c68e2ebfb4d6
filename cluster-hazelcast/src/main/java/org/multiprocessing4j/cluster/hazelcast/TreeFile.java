package org.multiprocessing4j.cluster.hazelcast;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.ProcessStartTime;
import org.multiprocessing4j.internal.shm.ShmDirectory;

/**
 * How the processes of a tree find their cluster: the first one that joins it (the root,
 * usually) writes where the cluster is (its name, the addresses to connect to, and the key
 * file if any — never a key) into a file of mode 0600 named after the root
 * ({@code mp4j-hazelcast-<rootPid>-<rootStart>.properties} in the shared-memory directory), and
 * removes it at exit. A child reads it when it first needs
 * the cluster. System properties could not do this: a child does not get its parent's
 * {@code -D} options, and settings made through {@link ClusterSettings.Builder} exist only in
 * the root.
 *
 * <p>The file names the process that hosts the tree's member (pid and start time), if any:
 * a file whose host has died (killed, so it could not remove it) counts as no file.
 *
 * @param clusterName the cluster's name
 * @param addresses   where a client connects, {@code host:port}
 * @param authkeyFile the key file, or null when the cluster uses the tree's authkey
 * @param host        the process that hosts the member; 0 when the cluster is the agents'
 * @param hostStart   its start time ({@link ProcessStartTime})
 */
record TreeFile(String clusterName, List<String> addresses, @Nullable Path authkeyFile, long host, long hostStart) {
    /** What every tree file's name starts with. */
    private static final String PREFIX = "mp4j-hazelcast-";

    /** {@return the file of this process's tree} */
    static Path path() {
        return path(ProcessRuntime.current().root());
    }

    /**
     * {@return the file of that tree}
     *
     * @param root the root of a tree
     */
    static Path path(ProcessRuntime.RootInfo root) {
        return ShmDirectory.standard().resolve(PREFIX + root.pid() + "-"
                + Long.toString(root.startTime(), 36) + ".properties");
    }

    /**
     * {@return the root whose tree a file of that name belongs to ({@link #path(ProcessRuntime.RootInfo)}
     * or its lock file), or null for a name of no tree file}
     *
     * @param fileName a file name in the shared-memory directory
     */
    static ProcessRuntime.@Nullable RootInfo rootOf(String fileName) {
        int end = fileName.indexOf(".properties");
        if (!fileName.startsWith(PREFIX) || end < 0) {
            return null;
        }
        String rest = fileName.substring(PREFIX.length(), end);
        int dash = rest.indexOf('-');
        try {
            return new ProcessRuntime.RootInfo(Long.parseLong(rest.substring(0, dash)),
                    Long.parseLong(rest.substring(dash + 1), 36));
        } catch (RuntimeException notOurs) {
            return null;
        }
    }

    /** {@return whether the process that hosts the member still runs (true for agents' clusters)} */
    boolean hostAlive() {
        return host == 0 || (ProcessStartTime.of(host) == hostStart && ProcessHandle.of(host).map(ProcessHandle::isAlive).orElse(false));
    }

    /**
     * Writes this as the file of this process's tree (atomically: a child never reads half).
     *
     * @return this
     */
    TreeFile write() {
        Path file = path();
        Properties p = new Properties();
        p.setProperty("clusterName", clusterName);
        p.setProperty("addresses", String.join(",", addresses));
        p.setProperty("authkeyFile", authkeyFile == null ? "" : authkeyFile.toString());
        p.setProperty("host", Long.toString(host));
        p.setProperty("hostStart", Long.toString(hostStart));
        try {
            Path tmp = Files.createTempFile(file.getParent(), "mp4j-hazelcast-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "multiprocessing4j: the Hazelcast cluster of this process tree");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " for the children of this process", e);
        }
    }

    /**
     * {@return the file the first process of this tree that joined the cluster wrote}
     *
     * @throws IllegalStateException if there is none
     */
    static TreeFile read() {
        TreeFile tree = readIfPresent();
        if (tree == null) {
            throw new IllegalStateException("cannot find the Hazelcast cluster of this process tree: " + path()
                    + " is missing (the first process of the tree that joins the cluster writes it)");
        }
        return tree;
    }

    /** {@return the file of this process's tree, or null if there is none yet} */
    static @Nullable TreeFile readIfPresent() {
        return readIfPresent(path());
    }

    private static @Nullable TreeFile readIfPresent(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String key = p.getProperty("authkeyFile", "");
        try {
            return new TreeFile(p.getProperty("clusterName", ""),
                    Arrays.stream(p.getProperty("addresses", "").split(",")).filter(s -> !s.isEmpty()).toList(),
                    key.isEmpty() ? null : Path.of(key),
                    Long.parseLong(p.getProperty("host", "0")), Long.parseLong(p.getProperty("hostStart", "0")));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " is malformed: " + e.getMessage(), e);
        }
    }

    /** Removes the file of this process's tree and its lock file, if any. */
    static void delete() {
        delete(ProcessRuntime.current().root());
    }

    /**
     * @param root the root of a tree
     */
    static void delete(ProcessRuntime.RootInfo root) {
        try {
            Files.deleteIfExists(path(root));
            Files.deleteIfExists(lockPath(path(root)));
        } catch (IOException e) {
            // at exit: nothing more to do
        }
    }

    /**
     * Cleans up after trees whose root is dead (killed, so it could not remove its file): their
     * files and lock files, and a tree agent still running for one (it ends when its root does;
     * one that did not, say because it failed on the way out, is stopped here). A live root's
     * files are never touched. Run by a process before it starts its tree's cluster.
     *
     * @return the number of dead trees cleaned up
     */
    static int sweepDead() {
        Path dir = ShmDirectory.standard();
        int swept = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*.properties*")) {
            for (Path found : entries) {
                ProcessRuntime.RootInfo root = rootOf(found.getFileName().toString());
                if (root == null || ProcessStartTime.isRunning(root.pid(), root.startTime())) {
                    continue;
                }
                try {
                    TreeFile tree = readIfPresent(path(root));
                    if (tree != null && tree.host() != 0 && tree.hostAlive()) {
                        ProcessHandle.of(tree.host()).ifPresent(ProcessHandle::destroy);
                    }
                } catch (RuntimeException unreadable) {
                    // removed below all the same
                }
                delete(root);
                swept++;
            }
        } catch (IOException | RuntimeException e) {
            // the next process will try again
        }
        return swept;
    }

    private static Path lockPath(Path file) {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    /**
     * Takes the tree's file lock, which the processes of a tree hold while they look for the
     * file and, finding none, start the cluster and write it.
     *
     * @return the lock, to close
     */
    static Lock lock() {
        try {
            FileChannel channel = FileChannel.open(lockPath(path()), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new Lock(channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockPath(path()), e);
        }
    }

    /**
     * The tree's file lock, held.
     *
     * @param channel the lock file
     * @param lock    the lock on it
     */
    record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing releases the lock; nothing else to do
            }
        }
    }
}
