package org.multiprocessing4j.cluster.hazelcast;

import java.io.EOFException;
import java.io.Serial;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.ConnectionBackend;
import org.multiprocessing4j.spi.Handles;

/**
 * One end of a {@code Pipe} on the {@code hazelcast} transport: messages go straight to the
 * process that keeps the other end's messages, and are read where this end's are kept, which
 * becomes the reading process ({@link PipeHost}); the cluster keeps who holds each end
 * ({@link PipeRecord}).
 *
 * <p>Encoded to travel, a handle takes a <em>ticket</em> that holds the end until the process
 * that decodes it has attached (it may not have joined the cluster yet), so the sender can close
 * its copy at once, as with an OS pipe whose descriptor the child inherited.
 */
final class ClusterConnection implements ConnectionBackend {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The attaches under way in this process, by {@code key/end}: a call waits for its end's. */
    private static final ConcurrentHashMap<String, CompletableFuture<Void>> ATTACHING = new ConcurrentHashMap<>();

    private final String key;
    private final int end;
    /** The ticket this handle was encoded with; empty for the opener's. */
    private final String ticket;

    ClusterConnection(String key, int end, String ticket) {
        if (end != 0 && end != 1) {
            throw new IllegalArgumentException("a connection's end is 0 or 1, not " + end);
        }
        this.key = key;
        this.end = end;
        this.ticket = ticket;
    }

    /**
     * {@return a copy holding a new ticket, or a manager's proxy when a manager encodes it for a
     * client}
     */
    @Serial
    private Object writeReplace() {
        Object forClient = Handles.forClient(this);
        if (forClient != this) {
            return forClient;
        }
        return new ClusterConnection(key, end, host().ticket(key, end));
    }

    /** Checks the end of a decoded handle. */
    @Serial
    private Object readResolve() throws java.io.InvalidObjectException {
        if (end != 0 && end != 1 || key == null || ticket == null) {
            throw new java.io.InvalidObjectException("a pipe connection with end " + end + " and key " + key);
        }
        return this;
    }

    @Override
    public void send(byte[] message) {
        attached();
        host().send(key, 1 - end, message);
    }

    @Override
    public byte[] recv() throws EOFException, InterruptedException {
        attached();
        return host().recv(key, end);
    }

    @Override
    public boolean poll(long timeoutNanos) throws InterruptedException {
        attached();
        return host().poll(key, end, timeoutNanos);
    }

    /** Attaches in the background (this process may not have joined the cluster yet). */
    @Override
    public void attach() {
        ClusterNode.prestart();
        String id = key + "/" + end;
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> before = ATTACHING.put(id, mine);
        Thread.ofVirtual().name("multiprocessing4j-pipe-attach").start(() -> {
            try {
                if (before != null) {
                    before.exceptionally(failed -> null).join();
                }
                host().attach(key, end, ticket);
                mine.complete(null);
                ATTACHING.remove(id, mine);
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e); // kept: the calls that follow report it
            }
        });
    }

    /**
     * Waits for this end's attach in this process, if one is under way: it takes effect first.
     *
     * @throws RuntimeException why the attach failed: this process does not hold the end, so
     *                          its calls cannot go on as if it did
     */
    private void attached() {
        CompletableFuture<Void> pending = ATTACHING.get(key + "/" + end);
        if (pending != null) {
            try {
                pending.join();
            } catch (CompletionException failed) {
                if (failed.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw failed;
            }
        }
    }

    @Override
    public void close() {
        try {
            attached();
            host().close(key, end);
        } catch (RuntimeException gone) {
            // the cluster or the pipe is gone: nothing is held any more
        }
    }

    private static PipeHost host() {
        return ClusterNode.current().pipes();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ClusterConnection c && c.key.equals(key) && c.end == end;
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 2 + end;
    }

    @Override
    public String toString() {
        return key + " end " + end;
    }
}
