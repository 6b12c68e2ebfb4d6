package org.multiprocessing4j.spi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A transport, as {@link java.util.ServiceLoader} finds it. Implementations have a public
 * no-argument constructor, are cheap to construct (every provider on the class path is
 * instantiated to be compared), and are safe to call from any thread.
 *
 * @since 0.1
 */
public interface TransportProvider {

    /**
     * {@return the name users select it by, such as {@code "pipe"}: lower case letters, digits and
     * dashes; unique among the providers on the class path; never null}
     */
    String name();

    /**
     * {@return the rank among available providers when none is named: the highest wins; ties go to
     * the name that sorts first}
     */
    int priority();

    /**
     * Whether this provider can work here (its native library loads, its OS feature exists).
     * Called once per selection; may do a small amount of probing.
     *
     * @return true if {@link #unavailabilityCause()} is null
     */
    default boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    /**
     * {@return why this provider cannot work here, in words a user can act on, or null when it
     * can}
     */
    @Nullable String unavailabilityCause();

    /**
     * Makes the transport for this process; called at most once per process, after the
     * provider was selected (so only when it is available).
     *
     * @return the transport, never null
     */
    Transport create();

    /**
     * {@return JVM options that every child JVM of this transport needs, put before the
     * context's own}: for a library the transport loads that wants a flag on this JDK (the
     * {@code hazelcast} transport's {@code --sun-misc-unsafe-memory-access=allow}). None by
     * default.
     */
    default List<String> childJvmOptions() {
        return List.of();
    }

    /**
     * Runs in the JVM that trains the AOT cache of this transport's children, after core's own
     * training (see "Process start" in the architecture notes): a transport whose children load
     * a library on first use (a cluster client, say) runs that library's start and first calls
     * here, on made-up data and on loopback, so that the cache holds its classes and a child
     * starts them sooner. Called where the training JVM was started with every one of this
     * provider's {@link #childJvmOptions()}, when it has some (a cache is made per set of child
     * options, so options are what tells this transport's children apart); and, for a provider
     * without options, when it is the transport that a child selects by default (available, of
     * highest priority): its training then goes into the cache that every child without a
     * transport's options shares, so it should be small and cover what nearly all its children
     * do. It must leave nothing behind (no thread, process or file); a failure is reported on
     * the training's output and the cache is made without it. Nothing by default.
     *
     * @throws Exception if the training failed
     * @since 0.1
     */
    default void trainChildren() throws Exception {
    }
}
