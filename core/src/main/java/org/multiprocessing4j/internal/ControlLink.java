package org.multiprocessing4j.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.internal.wire.Frames;
import org.multiprocessing4j.internal.wire.PostCoalescer;
import org.multiprocessing4j.internal.wire.proto.Envelope;

/**
 * The writing half of a parent-child control link: frames to a child's stdin, or from a child
 * to its parent. Thread-safe.
 *
 * <p>{@link #send} queues the frame and returns; one writer thread per link writes queued
 * frames in order, many to a flush. So a thread that reads a link and must answer on another
 * (an owner replying to a call, a parent forwarding a frame) never blocks on a full pipe: two
 * processes each writing a large frame to the other while reading nothing cannot deadlock.
 * Other threads (a producer, {@code System.out}) wait while more than {@value #MAX_QUEUED_BYTES}
 * bytes are queued, which keeps a fast writer from filling the heap. Posts queued together
 * are written as one frame each run ({@link PostCoalescer}).
 */
public final class ControlLink {
    /** Above this many queued bytes, senders other than link readers wait for the writer. */
    static final long MAX_QUEUED_BYTES = 64L << 20;
    private static final ThreadLocal<Boolean> LINK_READER = ThreadLocal.withInitial(() -> false);

    private final OutputStream out;
    private final String name;
    private final Object lock = new Object();
    private final ArrayDeque<Envelope> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writing;
    private volatile boolean broken;
    /** Written by the writer thread only; read by {@link #drain} to tell progress from a stall. */
    private volatile long framesWritten;
    private @org.jspecify.annotations.Nullable Thread writer;

    /**
     * A link that writes frames to {@code out} on a writer thread of its own.
     *
     * @param out  where frames go; buffered by the caller
     * @param name a name for messages, such as {@code "link to Process-1"}
     */
    public ControlLink(OutputStream out, String name) {
        this.out = out;
        this.name = name;
    }

    /** Marks the calling thread as one that reads a link: its sends never wait. */
    public static void markLinkReader() {
        LINK_READER.set(true);
    }

    /**
     * Queues one frame for writing.
     *
     * @param envelope the frame
     * @throws IOException if the link is already known to be closed
     */
    public void send(Envelope envelope) throws IOException {
        long size = envelope.getSerializedSize();
        // Replies and death notices never wait: owners send them holding their monitor.
        boolean mayWait = !LINK_READER.get() && !envelope.hasReply() && !envelope.hasProcessGone();
        synchronized (lock) {
            boolean interrupted = false;
            while (!broken && queuedBytes > MAX_QUEUED_BYTES && mayWait) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (broken) {
                throw new IOException(name + " is closed");
            }
            queue.addLast(envelope);
            queuedBytes += size;
            if (writer == null) {
                writer = Thread.ofPlatform().daemon().name("multiprocessing4j-writer (" + name + ")")
                        .start(this::writeLoop);
            }
            lock.notifyAll();
        }
    }

    private void writeLoop() {
        List<Envelope> batch = new ArrayList<>();
        while (true) {
            long bytes = 0;
            synchronized (lock) {
                while (queue.isEmpty() && !broken) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // only close() ends this thread
                    }
                }
                if (broken) {
                    return;
                }
                while (!queue.isEmpty()) {
                    Envelope e = queue.pollFirst();
                    bytes += e.getSerializedSize();
                    batch.add(e);
                }
                writing = true;
            }
            try {
                for (Envelope e : PostCoalescer.coalesce(batch)) {
                    Frames.write(out, e);
                    framesWritten += 1 + (e.hasCall() ? e.getCall().getMorePayloadsCount() : 0);
                }
                out.flush();
            } catch (IOException | RuntimeException | Error failed) {
                // Whatever stops the writer breaks the link, so that the peer sees end of file
                // and callers fail, instead of frames queueing forever.
                markBroken();
                closeQuietly();
                return;
            } finally {
                batch.clear();
                synchronized (lock) {
                    queuedBytes -= bytes;
                    writing = false;
                    lock.notifyAll();
                }
            }
        }
    }

    /**
     * Waits until every queued frame is written, for a process on its way out: as long as the
     * writer makes progress (a process that posted many items waits until its parent has read
     * them all), but no longer than {@code stall} without any frame written (a parent that stopped
     * reading must not keep its child alive forever).
     *
     * @param stall how long to wait at most while nothing is written
     * @return true if all was written; false on a stall or a closed link
     */
    public boolean drain(Duration stall) {
        long limit = stall.toNanos();
        synchronized (lock) {
            long lastProgress = System.nanoTime();
            long lastWritten = framesWritten;
            while (!broken && (writing || !queue.isEmpty())) {
                if (framesWritten != lastWritten) {
                    lastWritten = framesWritten;
                    lastProgress = System.nanoTime();
                }
                long left = lastProgress + limit - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !broken;
        }
    }

    /** {@return true once a write failed or the link was closed} */
    public boolean isBroken() {
        return broken;
    }

    private void markBroken() {
        synchronized (lock) {
            broken = true;
            queue.clear();
            lock.notifyAll();
        }
    }

    /** Closes the stream, dropping what is queued; the other side reads end of file. Idempotent. */
    public void close() {
        markBroken();
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the other side is gone already: nothing left to tell it
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
