package org.multiprocessing4j.cluster.hazelcast;

import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.Transport;
import org.multiprocessing4j.spi.TransportProvider;

/**
 * The {@code hazelcast} transport: locks, semaphores, events and queues live in a Hazelcast
 * (Community Edition) cluster, so processes on several machines share them; everything of
 * ours in the cluster is signed with the authkey. With nothing configured the root process
 * starts a one-member cluster on loopback that its children join; {@link ClusterSettings}
 * says how to join agents instead, and {@link Agent} how to start one.
 *
 * <p>Its priority, -10, is below every local transport: a cluster is used only when asked for
 * ({@code getContext("hazelcast")} or {@code -Dmultiprocessing4j.transport=hazelcast}), or when
 * it is the only transport on the class path.
 *
 * @since 0.1
 */
public final class HazelcastTransportProvider implements TransportProvider {
    /** The name users select it by. */
    public static final String NAME = "hazelcast";

    /**
     * The JVM option every JVM that runs Hazelcast needs on JDK 25 (Hazelcast reads memory
     * through {@code sun.misc.Unsafe}; without it the JVM prints a warning). Child JVMs of this
     * transport get it by themselves ({@link #childJvmOptions()}); the user's own JVM needs it
     * on its command line.
     */
    public static final String UNSAFE_MEMORY_ACCESS = "--sun-misc-unsafe-memory-access=allow";

    @Override
    public java.util.List<String> childJvmOptions() {
        return java.util.List.of(UNSAFE_MEMORY_ACCESS);
    }

    /**
     * Starts a member on loopback and a client of it, and runs on the client what a child's
     * first calls run ({@link ClusterNode#trainClient()}): a child's client then starts from
     * the AOT cache's classes.
     */
    @Override
    public void trainChildren() throws Exception {
        ClusterNode.trainClient();
    }

    /** Called by {@link java.util.ServiceLoader}. */
    public HazelcastTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -10;
    }

    @Override
    public @Nullable String unavailabilityCause() {
        return ClusterSettings.fromSystemProperties().problem();
    }

    @Override
    public Transport create() {
        return new HazelcastTransport();
    }
}
