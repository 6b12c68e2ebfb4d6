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
    private @Nullable ClusterNode node;
    private boolean closed;
    private boolean joining;

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
        if (node == null) {
            node = ClusterNode.start();
            ExitWatch.start(this);
        }
        return node;
    }

    /** Joins the cluster on a virtual thread, unless this process has joined or is joining. */
    void startInBackground() {
        synchronized (this) {
            if (node != null || closed || joining) {
                return;
            }
            joining = true;
        }
        Thread.ofVirtual().name("multiprocessing4j-hazelcast-join").start(() -> {
            try {
                node();
            } catch (RuntimeException e) {
                // the first call joins again and reports it
            } finally {
                synchronized (this) {
                    joining = false;
                }
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
        if (node != null) {
            node.close();
        }
    }

    @Override
    public String toString() {
        return "hazelcast transport";
    }
}
