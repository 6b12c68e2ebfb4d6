package org.multiprocessing4j.ipc.sharedmem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.Transport;
import org.multiprocessing4j.spi.TransportProvider;

/**
 * The {@code sharedmem} transport: primitives in memory-mapped files of {@code /dev/shm}, atomic
 * words and {@code futex}. Linux only (x86-64 and aarch64): elsewhere
 * {@link #unavailabilityCause()} says why, and selection moves on to another transport. Its
 * priority, 20, is above the pipe transport's 0 and leaves room for the socket transport.
 *
 * @since 0.1
 */
public final class SharedMemTransportProvider implements TransportProvider {
    /** The name users select it by. */
    public static final String NAME = "sharedmem";

    /** Called by {@link java.util.ServiceLoader}. */
    public SharedMemTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public @Nullable String unavailabilityCause() {
        String futex = Futex.unavailabilityCause();
        if (futex != null) {
            return futex;
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return "the shared-memory layouts assume a little-endian machine";
        }
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm) || !Files.isWritable(shm)) {
            return shm + " is not a writable directory (POSIX shared memory is missing)";
        }
        return null;
    }

    /**
     * Links the {@code futex} call and makes both kinds of call once, for the children's AOT
     * cache: linking it in a child took 100–150 ms (the FFM linker's classes and method
     * handles), 50–80 ms with them in the cache. It is done by the first wait or wake, so it
     * fell inside a child's first blocking operation.
     */
    @Override
    public void trainChildren() {
        if (unavailabilityCause() == null) {
            Futex.train();
        }
    }

    @Override
    public Transport create() {
        return new SharedMemTransport();
    }
}
