package org.multiprocessing4j.ipc.sharedmem;

import org.multiprocessing4j.spi.NativePrimitives;
import org.multiprocessing4j.spi.Transport;

/**
 * The {@code sharedmem} transport in a process: core's control links for messages, and the
 * primitives of {@link SharedMemPrimitives} in segments of {@code /dev/shm}.
 *
 * @since 0.1
 */
final class SharedMemTransport implements Transport {
    private final NativePrimitives primitives = new SharedMemPrimitives();

    @Override
    public NativePrimitives nativePrimitives() {
        return primitives;
    }

    @Override
    public String toString() {
        return "sharedmem transport (wait strategy " + Waiting.configured().strategyName() + ")";
    }
}
