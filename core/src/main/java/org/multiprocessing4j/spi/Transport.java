package org.multiprocessing4j.spi;

import org.jspecify.annotations.Nullable;

/**
 * A transport, made by its {@link TransportProvider} once per process that uses it.
 *
 * <p>Links: every child is connected to its parent by core's control link (the child's stdin
 * and stdout), which carries the bootstrap, the child's output and, by default, all the
 * broker's traffic; the {@code pipe} transport is exactly that. A transport that returns
 * {@link Links} from {@link #links} carries the broker's traffic between any two processes of
 * the tree directly instead; one that moves messages yet another way (shared memory) does so
 * through the primitives it replaces.
 *
 * <p>Primitives: core hosts every primitive in the process that created it and reaches it
 * over links (the broker). A transport replaces any of them by returning a native
 * implementation from {@link #nativePrimitives()}; whatever it does not replace stays the
 * broker's, so a new transport is complete on its first day and faster where it chooses.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface Transport extends AutoCloseable {

    /**
     * {@return the native primitives of this transport, or null when it replaces none}
     */
    default @Nullable NativePrimitives nativePrimitives() {
        return null;
    }

    /**
     * Direct links between processes, made once per process when core first needs them.
     *
     * @param authkey      the tree's authkey, which every link must prove both ways
     * @param maxFrameSize the largest frame a link must carry (and may refuse beyond)
     * @return the links, or null when this transport has none (core's control links carry
     *         everything then)
     */
    default @Nullable Links links(byte[] authkey, int maxFrameSize) {
        return null;
    }

    /**
     * {@return where child JVMs start, for a transport that can start them on other hosts; null
     * (the default) runs every child on this machine}
     */
    default @Nullable ChildPlacement placement() {
        return null;
    }

    /** Releases what the transport holds in this process; called at most once, at exit. */
    @Override
    default void close() {
    }
}
