package org.multiprocessing4j.spi;

import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.ProcessStartException;

/**
 * Where a transport starts child JVMs, when it can start them on other hosts: core asks it for
 * every child, before it starts one on this machine. A transport without one ({@link
 * Transport#placement()} null) runs every child here.
 *
 * @since 0.1
 */
public interface ChildPlacement {

    /**
     * Starts the child JVM that {@code request} describes on another host, or declines.
     *
     * @param request the JVM to start, and the host its context names (if any)
     * @return the started JVM, its stdin, stdout and stderr connected to this process; or null
     *         to have core start it on this machine (then a named host is an error core reports)
     * @throws ProcessStartException if it cannot be placed (no such host, the host refused, the
     *                               JVM did not start there), with the reason
     */
    @Nullable PlacedJvm place(JvmRequest request);
}
