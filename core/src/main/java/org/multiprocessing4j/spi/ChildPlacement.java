package org.multiprocessing4j.spi;

import java.util.Map;
import java.util.Set;
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

    /**
     * {@return whether {@link #missingClasses} can tell anything: children of this process may
     * run on hosts whose class path is not this process's} Core finds the classes a pool task
     * needs (which costs a pass over it) only when this is true. The default is false.
     */
    default boolean checksClasses() {
        return false;
    }

    /**
     * Says which classes the JVMs it would start could not load, for each host it could place a
     * child on: so that a pool task whose class is missing on a host fails when it is submitted,
     * naming the class and the host, instead of when a worker there decodes it. A host that
     * cannot be asked in time counts as having every class (its workers report what they lack).
     *
     * @param host       the host a context names, or null for every host the placement uses
     * @param classNames binary names of classes (as {@link Class#getName()} gives them)
     * @return by host (as users name it), the classes of {@code classNames} missing there; hosts
     *         with none missing are left out. The default: nothing is missing anywhere
     */
    default Map<String, Set<String>> missingClasses(@Nullable String host, Set<String> classNames) {
        return Map.of();
    }
}
