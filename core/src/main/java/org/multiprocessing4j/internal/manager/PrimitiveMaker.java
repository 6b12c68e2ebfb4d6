package org.multiprocessing4j.internal.manager;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Makes the process primitives a manager offers (queues, locks, ...) in the server process;
 * implemented next to the public classes, whose constructors it needs.
 */
public interface PrimitiveMaker {

    /**
     * {@return the new primitive, hosted by this (the server's) process}
     *
     * @param kind the primitive's kind, as the client's {@code Manager} names it
     * @param args its constructor's arguments
     * @throws IllegalArgumentException for an unknown kind or wrong arguments
     */
    Object make(String kind, @Nullable Object[] args);

    /**
     * What a remote client's proxies of a primitive call: its SPI backends ({@code LockBackend},
     * {@code QueueBackend}, ...), a condition's lock's first.
     *
     * @param primitive a primitive {@link #make} made
     * @return its backends, in that order
     */
    List<Object> backends(Object primitive);
}
