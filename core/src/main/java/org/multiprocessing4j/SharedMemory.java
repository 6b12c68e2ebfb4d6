package org.multiprocessing4j;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.shm.MappedSegment;
import org.multiprocessing4j.internal.shm.SegmentNames;
import org.multiprocessing4j.internal.shm.SharedMemoryRuntime;

/**
 * A named block of memory shared by processes: Python's
 * {@code multiprocessing.shared_memory.SharedMemory}. It is a file in {@code /dev/shm} (or the
 * temp directory where there is none), mode 0600, mapped into each process that uses it; any
 * process of the same user on the machine may {@link #attach} it by name, related or not.
 * <pre>{@code
 * try (SharedMemory shm = SharedMemory.create(1024)) {
 *     shm.segment().set(ValueLayout.JAVA_INT, 0, 42);
 *     Process p = new Process(() -> System.out.println(shm.segment().get(ValueLayout.JAVA_INT, 0)));
 *     p.start();   // the child attaches by name and prints 42
 *     p.join();
 *     shm.unlink();
 * }
 * }</pre>
 *
 * <p><b>Life cycle.</b> {@link #close()} unmaps it from this process; {@link #unlink()} removes
 * the name, and the memory goes when every process has closed it (or ended). What a process
 * tree {@link #create}s and does not unlink is unlinked when the tree's root process exits,
 * normally or by an exception; what a tree killed with SIGKILL left is removed by the next
 * program's first use of shared memory. {@link #keep()} exempts a segment that is meant to
 * outlive the program. There are no warnings about segments: unlinking and sharing on purpose
 * are normal (where Python's resource tracker complains).
 *
 * <p><b>Passing it on.</b> A {@code SharedMemory} captured by a target or put in a queue
 * travels as its name; the receiver attaches, with a mapping of its own that it may close.
 *
 * <p><b>Size.</b> {@link #size()} is exactly the size asked for at creation (Python reports a
 * multiple of the page size on some systems; here the mapping is rounded up by the OS, never the
 * view). The memory starts as zeros.
 *
 * <p><b>Threads.</b> Any thread may use a segment; {@link #close()} while others use it is safe:
 * their later accesses, through {@link #segment()} or {@link #buffer()} views too, throw
 * {@link IllegalStateException}. Accesses through the views are plain memory accesses: order
 * them with a lock, or use the atomic {@link java.lang.invoke.VarHandle} access modes of
 * {@link java.lang.foreign.ValueLayout#varHandle()}, which are atomic across processes.
 *
 * @since 0.1
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient MappedSegment mapping;

    private SharedMemory(MappedSegment mapping) {
        this.mapping = mapping;
    }

    /**
     * Creates a segment with a generated name ({@code mp4j-<rootPid>-<rootStart>-<random>}).
     *
     * @param size its size in bytes, positive
     * @return the new segment, mapped, all zeros
     * @throws IllegalArgumentException if {@code size} is not positive
     * @throws IOException              if the shm directory has not {@code size} bytes free,
     *                                  or the file cannot be created
     */
    public static SharedMemory create(long size) throws IOException {
        checkSize(size);
        return new SharedMemory(runtime().create(null, size));
    }

    /**
     * Creates a segment with the given name.
     *
     * @param name 1 to 128 characters of {@code A-Z a-z 0-9 _ . -}, not starting with
     *             {@code .} or {@code -}; {@code mp4j-} is reserved for generated names
     * @param size its size in bytes, positive
     * @return the new segment, mapped, all zeros
     * @throws IllegalArgumentException   if the name or the size is not allowed (the message
     *                                    says why)
     * @throws FileAlreadyExistsException if a segment of that name exists (Python's
     *                                    {@code FileExistsError})
     * @throws IOException                if the shm directory has not {@code size} bytes free,
     *                                    or the file cannot be created
     */
    public static SharedMemory create(String name, long size) throws IOException {
        SegmentNames.checkForCreate(Objects.requireNonNull(name, "name"));
        checkSize(size);
        return new SharedMemory(runtime().create(name, size));
    }

    /**
     * Attaches to an existing segment, created by any process of this user.
     *
     * @param name the segment's name
     * @return the segment, mapped whole
     * @throws IllegalArgumentException if the name is not allowed
     * @throws NoSuchFileException      if there is no segment of that name (Python's
     *                                  {@code FileNotFoundError})
     * @throws IOException              if it cannot be mapped (another user's, or empty)
     */
    public static SharedMemory attach(String name) throws IOException {
        SegmentNames.checkForAttach(Objects.requireNonNull(name, "name"));
        return new SharedMemory(runtime().attach(name));
    }

    private static void checkSize(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("the size of shared memory must be positive, not " + size);
        }
    }

    private static SharedMemoryRuntime runtime() {
        return ProcessRuntime.current().sharedMemory();
    }

    /** {@return the segment's name, which {@link #attach} takes} */
    public String name() {
        return mapping.name();
    }

    /** {@return the size in bytes, exactly as created} */
    public long size() {
        return mapping.size();
    }

    /**
     * The mapped bytes. Valid until {@link #close()}; accesses after it throw
     * {@link IllegalStateException}.
     *
     * @return the memory, {@link #size()} bytes
     * @throws IllegalStateException if closed
     */
    public MemorySegment segment() {
        return mapping.memory();
    }

    /**
     * A {@link ByteBuffer} view of the bytes (Python's {@code buf}), position 0, limit
     * {@link #size()}, big-endian as every new buffer. Valid until {@link #close()}.
     *
     * @return a new view
     * @throws IllegalStateException         if closed
     * @throws UnsupportedOperationException if the segment has more bytes than a buffer can
     *                                       hold ({@value Integer#MAX_VALUE}); use {@link #segment()}
     */
    public ByteBuffer buffer() {
        MemorySegment memory = segment();
        if (memory.byteSize() > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("shared memory '" + name() + "' has " + memory.byteSize()
                    + " bytes, more than a ByteBuffer can view (" + Integer.MAX_VALUE + "); use segment()");
        }
        return memory.asByteBuffer();
    }

    /**
     * Unmaps the memory from this process; the second call does nothing. Other processes are
     * not affected, nor the name: see {@link #unlink()}.
     *
     * @throws IllegalStateException if a native call is using the memory right now
     */
    @Override
    public void close() {
        mapping.close();
    }

    /** {@return whether {@link #close()} was called} */
    public boolean isClosed() {
        return mapping.isClosed();
    }

    /**
     * Removes the segment's name, once, from any process (Python's {@code unlink()}); mappings
     * stay valid until closed, and a later {@link #attach} of the name fails. No cleanup will
     * touch it later.
     *
     * @throws NoSuchFileException if it was unlinked already
     * @throws IOException         if the file cannot be removed
     */
    public void unlink() throws IOException {
        runtime().unlink(name());
    }

    /**
     * Lets the segment outlive this process tree: its root will not unlink it at exit, nor will
     * a later program's sweep (Python 3.13's {@code track=False}). Someone must
     * {@link #unlink()} it eventually, or it stays until the machine restarts.
     *
     * @throws IOException if the tracking file cannot be written
     */
    public void keep() throws IOException {
        runtime().keep(name());
    }

    @Override
    public String toString() {
        return "SharedMemory('" + name() + "', size=" + size() + (isClosed() ? ", closed" : "") + ")";
    }

    /** Two objects are equal when they map the same name. */
    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SharedMemory other && other.name().equals(name());
    }

    @Override
    public int hashCode() {
        return name().hashCode();
    }

    /**
     * {@return the segment's name, which is what travels}
     */
    @Serial
    private Object writeReplace() {
        return new SegmentByName(name(), false);
    }

    /**
     * Refuses a stream that claims to be the object itself.
     *
     * @param in the stream
     * @throws InvalidObjectException always: only the name travels
     */
    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a SharedMemory travels as its name (SegmentByName)");
    }
}
