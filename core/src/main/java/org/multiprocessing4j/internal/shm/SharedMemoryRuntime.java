package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime.RootInfo;

/**
 * A process's shared memory: the one place that creates, attaches, unlinks and tracks
 * segments (the public {@code SharedMemory} and the shared-memory transport both go through
 * it), the heap of blocks for values and arrays, and the segments this process mapped for
 * blocks. One per JVM, made by {@code ProcessRuntime.sharedMemory()}; in a root JVM, making it
 * starts a sweep of what dead trees left behind, on a thread of its own, which the root's exit
 * waits for ({@link #awaitSweep}).
 */
public final class SharedMemoryRuntime {
    /** Attempts at a fresh generated name before giving up (a clash is a 36^12 chance). */
    private static final int NAME_ATTEMPTS = 8;

    private final Path directory;
    private final RootInfo root;
    private final SegmentTracker tracker;
    private final SharedHeap heap = new SharedHeap(this);
    /** How long a root's exit waits for its sweep of dead trees to end. */
    static final Duration SWEEP_WAIT = Duration.ofSeconds(2);
    /** The sweep of dead trees' leftovers that a root starts, or null. */
    private volatile @Nullable Thread sweep;
    /** Segments mapped for blocks: never closed, since blocks handed out may still be used. */
    private final ConcurrentMap<String, MappedSegment> blockSegments = new ConcurrentHashMap<>();

    private SharedMemoryRuntime(Path directory, RootInfo root) {
        this.directory = directory;
        this.root = root;
        this.tracker = new SegmentTracker(directory, root);
    }

    /**
     * {@return the runtime}
     *
     * @param root   the root of this process's tree
     * @param isRoot whether this process is that root; a root sweeps dead trees' leftovers
     */
    public static SharedMemoryRuntime start(RootInfo root, boolean isRoot) {
        return start(ShmDirectory.standard(), root, isRoot);
    }

    /** {@link #start(RootInfo, boolean)} in a given directory, for tests. */
    static SharedMemoryRuntime start(Path directory, RootInfo root, boolean isRoot) {
        SharedMemoryRuntime rt = new SharedMemoryRuntime(directory, root);
        if (isRoot) {
            // Off the first use's path: a cold JVM's first sweep took 4-9 ms (a directory stream
            // with a glob, names parsed), and the sweep touches only dead trees' files, never a
            // segment this tree makes meanwhile.
            rt.sweep = Thread.ofPlatform().daemon().name("multiprocessing4j-shm-sweep").start(() -> {
                try {
                    SegmentTracker.sweep(rt.directory, root);
                } catch (IOException | RuntimeException e) {
                    // a directory that cannot be listed: nothing to sweep, and creating will say more
                }
            });
        }
        return rt;
    }

    /**
     * Waits, at most {@link #SWEEP_WAIT}, for the sweep this root started to end: a root that
     * exits soon after its first use of shared memory still sweeps. Never throws.
     */
    public void awaitSweep() {
        Thread t = sweep;
        if (t == null) {
            return;
        }
        try {
            t.join(SWEEP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Unlinks what the tree of {@code root} left, as its root exits (normally or after an
     * exception). Never throws.
     *
     * @param root the exiting root
     */
    public static void atRootExit(RootInfo root) {
        try {
            SegmentTracker.cleanUp(ShmDirectory.standard(), root);
        } catch (IOException | RuntimeException e) {
            System.err.println("multiprocessing4j: could not remove this program's shared memory: " + e);
        }
    }

    /** {@return the directory segments live in} */
    public Path directory() {
        return directory;
    }

    /** {@return the root of this process's tree} */
    public RootInfo root() {
        return root;
    }

    /**
     * Creates and maps a segment that the tree's root unlinks at exit unless it is unlinked or
     * kept before.
     *
     * @param name a name checked with {@link SegmentNames#checkForCreate}, or null for a
     *             generated one
     * @param size its size in bytes, positive
     * @return the mapping
     * @throws FileAlreadyExistsException if {@code name} exists
     * @throws IOException                if it cannot be created or tracked
     */
    public MappedSegment create(@Nullable String name, long size) throws IOException {
        tracker.prepare();
        MappedSegment segment;
        if (name != null) {
            segment = MappedSegment.create(directory, name, size);
        } else {
            segment = createGenerated(size);
        }
        try {
            tracker.created(segment);
        } catch (IOException e) {
            segment.close();
            MappedSegment.unlink(directory, segment.name());
            throw e;
        }
        return segment;
    }

    private MappedSegment createGenerated(long size) throws IOException {
        FileAlreadyExistsException clash = new FileAlreadyExistsException("no generated name was free");
        for (int i = 0; i < NAME_ATTEMPTS; i++) {
            try {
                return MappedSegment.create(directory, SegmentNames.generate(root), size);
            } catch (FileAlreadyExistsException e) {
                clash = e;
            }
        }
        throw clash;
    }

    /**
     * {@return a new mapping of that segment, not tracked}
     *
     * @param name a name checked with {@link SegmentNames#checkForAttach}
     * @throws java.nio.file.NoSuchFileException if there is none
     * @throws IOException                       if it cannot be mapped
     */
    public MappedSegment attach(String name) throws IOException {
        return MappedSegment.attach(directory, name);
    }

    /**
     * Removes a segment's file and records that the user did it (no cleanup, no warning later).
     *
     * @param name the segment
     * @throws java.nio.file.NoSuchFileException if there is none
     * @throws IOException                       if it cannot be removed
     */
    public void unlink(String name) throws IOException {
        MappedSegment.unlink(directory, name);
        tracker.unlinked(name);
    }

    /**
     * Lets a segment outlive the tree: the root will not unlink it, nor a sweep.
     *
     * @param name a segment this tree created
     * @throws IOException if the tracking file cannot be written
     */
    public void keep(String name) throws IOException {
        tracker.kept(name);
    }

    /**
     * {@return a new block of zeros from this process's heap}
     *
     * @param size a block's size in bytes, positive
     * @throws UncheckedIOException if no segment can be created for it
     */
    public SharedBlock allocate(long size) {
        try {
            return heap.allocate(size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot allocate " + size + " bytes of shared memory: " + e.getMessage(), e);
        }
    }

    /**
     * The bytes of a block another process allocated (or this one): its segment is mapped once
     * per process.
     *
     * @param segment the segment's name
     * @param offset  the block's offset
     * @param size    the block's size
     * @return the block
     * @throws UncheckedIOException  if the segment cannot be attached (unlinked already: its tree
     *                               has ended)
     * @throws IllegalStateException if the segment is smaller than the block says
     */
    public SharedBlock block(String segment, long offset, long size) {
        MappedSegment mapped = blockSegments.computeIfAbsent(segment, name -> {
            try {
                return MappedSegment.attach(directory, SegmentNames.checkForAttach(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot attach the shared memory segment " + segment + " of a shared object: " + e.getMessage(), e);
            }
        });
        if (offset < 0 || size <= 0 || offset > mapped.size() - size) {
            throw new IllegalStateException("shared memory '" + segment + "' has " + mapped.size()
                    + " bytes; a block of " + size + " bytes at offset " + offset + " does not fit in it");
        }
        return new SharedBlock(segment, offset, mapped.memory().asSlice(offset, size));
    }

    /** Creates a heap segment, mapped for blocks. */
    MappedSegment createForBlocks(long size) throws IOException {
        MappedSegment segment = create(null, size);
        blockSegments.put(segment.name(), segment);
        return segment;
    }
}
