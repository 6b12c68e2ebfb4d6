package org.multiprocessing4j.cluster.hazelcast;

import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.ChildPlacement;
import org.multiprocessing4j.spi.NativePrimitives;
import org.multiprocessing4j.spi.Transport;

/**
 * The {@code hazelcast} transport in one process: its {@link ClusterNode}, joined when the
 * first primitive needs it (a process that makes or uses none never loads Hazelcast), and left
 * at exit.
 */
final class HazelcastTransport implements Transport {
    private final NativePrimitives primitives = new ClusterPrimitives(this);
    private final ClusterPlacement placement = new ClusterPlacement(this);
    /** Written under this object's monitor; read without it by {@link #startInBackground()}. */
    private volatile @Nullable ClusterNode node;
    private volatile boolean closed;
    /** A background join is under way. Not under the monitor, which {@link #node()} holds while it joins. */
    private final java.util.concurrent.atomic.AtomicBoolean joining = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public NativePrimitives nativePrimitives() {
        return primitives;
    }

    /**
     * {@return this process's node, joining the cluster the first time}
     *
     * @throws IllegalStateException after {@link #close()}
     */
    synchronized ClusterNode node() {
        if (closed) {
            throw new IllegalStateException("this process has left the Hazelcast cluster (it is exiting)");
        }
        ClusterNode joined = node;
        if (joined == null) {
            joined = ClusterNode.start();
            node = joined;
            ExitWatch.start(this);
        }
        return joined;
    }

    /**
     * Joins the cluster on a virtual thread, unless this process has joined or is joining. Never
     * waits: it is called as handles are decoded (a target's, say), which must not wait for a
     * join that takes a second; it takes no monitor, since {@link #node()} holds this one while
     * it joins.
     */
    void startInBackground() {
        if (node != null || closed || !joining.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("multiprocessing4j-hazelcast-join").start(() -> {
            try {
                node();
            } catch (RuntimeException e) {
                // the first call joins again and reports it
            } finally {
                joining.set(false);
            }
        });
    }

    @Override
    public ChildPlacement placement() {
        return placement;
    }

    @Override
    public synchronized void close() {
        closed = true;
        placement.close();
        ClusterNode joined = node;
        if (joined != null) {
            joined.close();
        }
    }

    @Override
    public String toString() {
        return "hazelcast transport";
    }
}
