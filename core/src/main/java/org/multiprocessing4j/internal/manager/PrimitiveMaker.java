package org.multiprocessing4j.internal.manager;

import org.jspecify.annotations.Nullable;

/**
 * Makes the process primitives a manager offers (queues, locks, ...) in the server process;
 * implemented next to the public classes, whose constructors it needs.
 */
@FunctionalInterface
public interface PrimitiveMaker {

    /**
     * {@return the new primitive, hosted by this (the server's) process}
     *
     * @param kind the primitive's kind, as the client's {@code Manager} names it
     * @param args its constructor's arguments
     * @throws IllegalArgumentException for an unknown kind or wrong arguments
     */
    Object make(String kind, @Nullable Object[] args);
}
