package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.net.ChannelIo;

/**
 * One segment file mapped into this process: the file operations of shared memory, in one
 * place. The mapping belongs to a shared {@link Arena}, so any thread may use it and
 * {@link #close()} unmaps it safely: a thread that uses the memory afterwards, or while it is
 * being closed, gets an {@link IllegalStateException} from the JDK, never a crash.
 */
public final class MappedSegment {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> MODE_0600 = PosixFilePermissions.asFileAttribute(OWNER_ONLY);

    private final String name;
    private final Path path;
    private final @Nullable Object fileKey;
    private final Arena arena;
    private final MemorySegment memory;
    private boolean closed;

    private MappedSegment(String name, Path path, @Nullable Object fileKey, Arena arena, MemorySegment memory) {
        this.name = name;
        this.path = path;
        this.fileKey = fileKey;
        this.arena = arena;
        this.memory = memory;
    }

    /**
     * Creates the file, mode 0600 from the start (the mode is given to {@code open(2)}, never
     * set afterwards), sized and mapped. Its bytes are zero.
     *
     * @param directory the shm directory
     * @param name      a checked segment name
     * @param size      the size in bytes, positive
     * @return the mapping
     * @throws FileAlreadyExistsException if a file of that name exists (message: the name)
     * @throws IOException                if the directory has not {@code size} bytes free, or
     *                                    the file cannot be created or mapped
     */
    public static MappedSegment create(Path directory, String name, long size) throws IOException {
        // Shielded: an interrupt would close the FileChannel mid-way (ClosedByInterruptException),
        // which made a queue's get on shared memory lose the item it had taken (a user's test).
        return ChannelIo.shielded(() -> createOnce(directory, name, size));
    }

    private static MappedSegment createOnce(Path directory, String name, long size) throws IOException {
        checkSize(name, size);
        Path path = directory.resolve(name);
        long free = Files.getFileStore(directory).getUsableSpace();
        if (size > free) {
            throw new IOException("cannot create shared memory '" + name + "' of " + size + " bytes: "
                    + directory + " has only " + free + " bytes free");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), MODE_0600);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(name, null, "shared memory '" + name + "' exists already (" + path
                    + "); attach to it, or choose another name");
        }
        try (channel) {
            // FileChannel grows a file by writing its last byte: a sparse file of this size.
            channel.write(java.nio.ByteBuffer.allocate(1), size - 1);
            return map(name, path, channel, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /**
     * Maps an existing segment file.
     *
     * @param directory the shm directory
     * @param name      a checked segment name
     * @return the mapping, of the file's size
     * @throws NoSuchFileException if there is no such segment (message: the name)
     * @throws IOException         if it is no regular file, is empty, or cannot be mapped
     */
    public static MappedSegment attach(Path directory, String name) throws IOException {
        return ChannelIo.shielded(() -> attachOnce(directory, name)); // as create()
    }

    private static MappedSegment attachOnce(Path directory, String name) throws IOException {
        Path path = directory.resolve(name);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, Set.<OpenOption>of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(name, null, "no shared memory named '" + name + "' (no file " + path + ")");
        }
        try (channel) {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new IOException("shared memory '" + name + "': " + path + " is not a regular file");
            }
            long size = channel.size();
            if (size == 0) {
                throw new IOException("shared memory '" + name + "' is empty (" + path
                        + " has 0 bytes): it is not a segment, or its creator has not sized it yet");
            }
            return map(name, path, channel, size);
        }
    }

    private static MappedSegment map(String name, Path path, FileChannel channel, long size) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new MappedSegment(name, path, key, arena, memory);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static void checkSize(String name, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("the size of shared memory '" + name + "' must be positive, not " + size);
        }
    }

    /**
     * Removes a segment file; mappings of it stay valid until they are closed.
     *
     * @param directory the shm directory
     * @param name      a checked segment name
     * @throws NoSuchFileException if there is none (message: the name)
     * @throws IOException         if it cannot be removed
     */
    public static void unlink(Path directory, String name) throws IOException {
        try {
            Files.delete(directory.resolve(name));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(name, null, "no shared memory named '" + name
                    + "' to unlink: it was unlinked already, or never existed");
        }
    }

    /** {@return the segment's name} */
    public String name() {
        return name;
    }

    /** {@return the file} */
    public Path path() {
        return path;
    }

    /** {@return the file's identity (device and inode) when it was mapped, or null if the OS has none} */
    public @Nullable Object fileKey() {
        return fileKey;
    }

    /** {@return the size in bytes} */
    public long size() {
        return memory.byteSize();
    }

    /**
     * {@return the mapped bytes}
     *
     * @throws IllegalStateException if closed
     */
    public MemorySegment memory() {
        if (isClosed()) {
            throw new IllegalStateException("shared memory '" + name + "' is closed");
        }
        return memory;
    }

    /** {@return whether {@link #close()} was called} */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Unmaps the segment; the second call does nothing.
     *
     * @throws IllegalStateException if a native call holds the memory now (the mapping stays;
     *                               call again when it returned)
     */
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            arena.close();
        } catch (IllegalStateException inUse) {
            throw new IllegalStateException("cannot close shared memory '" + name
                    + "' now: a native call is using it; close it when the call has returned", inUse);
        }
        closed = true;
    }

    @Override
    public String toString() {
        return "MappedSegment[" + name + ", " + Objects.requireNonNullElse(fileKey, "?") + "]";
    }
}
