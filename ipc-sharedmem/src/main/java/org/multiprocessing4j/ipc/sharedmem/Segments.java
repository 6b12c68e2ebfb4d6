package org.multiprocessing4j.ipc.sharedmem;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Where this transport's memory comes from: files in {@code /dev/shm}, mode 0600, mapped
 * shared with FFM. The one class that knows about files, so that moving to core's
 * {@code SharedMemory} (issue 5, first half) changes nothing else.
 *
 * <p>Names are {@code mp4j-ipc-PID-START-N}: the creating process's pid and start time (see
 * {@link ProcessIdentity}) and a counter. A process unlinks what it created when it exits; a
 * file whose creator is dead is swept by the next process of ours that creates a segment or
 * exits (a root outlives its children, so the root's exit sweeps what a killed child left).
 * Mappings live until the JVM exits: primitives are never freed before their creator ends.
 */
final class Segments {
    /** The directory of POSIX shared memory on Linux. */
    static final Path DIRECTORY = Path.of("/dev/shm");
    /** What every name of ours starts with. */
    static final String PREFIX = "mp4j-ipc-";

    private static final String OWN_PREFIX = PREFIX + ProcessIdentity.pid(ProcessIdentity.current()) + "-"
            + Integer.toUnsignedString((int) (ProcessIdentity.current() >>> 32)) + "-";
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final ConcurrentHashMap<String, MemorySegment> MAPPED = new ConcurrentHashMap<>();
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    static {
        sweep();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("mp4j-sharedmem-unlink").unstarted(() -> {
            for (String name : CREATED) {
                unlink(name);
            }
            sweep();
        }));
    }

    private Segments() {
    }

    /**
     * Creates, sizes and maps a new segment, zero-filled, unlinked when this process exits.
     *
     * @param size its size in bytes
     * @return its name
     * @throws IllegalStateException naming the file if it cannot be made
     */
    static String create(long size) {
        String name = OWN_PREFIX + COUNTER.incrementAndGet();
        Path path = DIRECTORY.resolve(name);
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            CREATED.add(name);
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
                MAPPED.put(name, ch.map(FileChannel.MapMode.READ_WRITE, 0, size, Arena.global()));
            }
            return name;
        } catch (IOException e) {
            unlink(name);
            throw new IllegalStateException("cannot create the shared-memory segment " + path + " of " + size
                    + " bytes: " + e, e);
        }
    }

    /**
     * Maps a segment, once per JVM.
     *
     * @param name its name
     * @return the whole segment, or null if there is no such file (its creator has ended)
     * @throws IllegalStateException naming the file if it exists but cannot be mapped
     */
    static @Nullable MemorySegment attach(String name) {
        MemorySegment m = MAPPED.get(name);
        if (m != null) {
            return m;
        }
        if (!name.startsWith(PREFIX) || name.contains("/")) {
            throw new IllegalArgumentException("not a shared-memory segment of this transport: " + name);
        }
        Path path = DIRECTORY.resolve(name);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return MAPPED.computeIfAbsent(name, n -> map(ch, path));
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot map the shared-memory segment " + path + ": " + e, e);
        }
    }

    private static MemorySegment map(FileChannel ch, Path path) {
        try {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size(), Arena.global());
        } catch (IOException e) {
            throw new IllegalStateException("cannot map the shared-memory segment " + path + ": " + e, e);
        }
    }

    /** Removes the files whose creator is no longer alive. */
    static void sweep() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(DIRECTORY, PREFIX + "*")) {
            for (Path file : files) {
                long creator = creatorOf(file.getFileName().toString());
                if (creator != 0 && !ProcessIdentity.isAlive(creator)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a file left here is swept by the next process of ours.
        }
    }

    /** @return the packed identity in a name of ours, or 0 if it is not one */
    static long creatorOf(String name) {
        String[] parts = name.substring(PREFIX.length()).split("-");
        if (parts.length != 3) {
            return 0;
        }
        try {
            return (Integer.toUnsignedLong(Integer.parseUnsignedInt(parts[1])) << 32) | Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void unlink(String name) {
        try {
            Files.deleteIfExists(DIRECTORY.resolve(name));
        } catch (IOException e) {
            // Best effort: swept later.
        }
        CREATED.remove(name);
    }
}
