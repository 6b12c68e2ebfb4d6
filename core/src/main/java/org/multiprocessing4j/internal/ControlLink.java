package org.multiprocessing4j.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import com.google.protobuf.ByteString;
import org.multiprocessing4j.internal.wire.Frames;
import org.multiprocessing4j.internal.wire.PostBatch;
import org.multiprocessing4j.internal.wire.proto.Call;
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
 * bytes are queued, which keeps a fast writer from filling the heap.
 *
 * <p>Posts ({@link #post}, and one-way calls given to {@link #send}) join the {@link PostBatch}
 * at the tail of the queue when it goes the same way: posts that pile up while the writer is
 * busy go as one frame, and a post that finds the writer idle goes at once.
 */
public final class ControlLink {
    /** Above this many queued bytes, senders other than link readers wait for the writer. */
    static final long MAX_QUEUED_BYTES = 4L << 20;
    /** The largest frame {@link #sendFirst} writes on the caller's thread. */
    static final int FIRST_WRITE_MAX = 12 << 10;
    private static final ThreadLocal<Boolean> LINK_READER = ThreadLocal.withInitial(() -> false);

    private final OutputStream out;
    private final String name;
    private final Object lock = new Object();
    private final int batchLimit;
    private final int peerMaxFrameSize;
    /** Envelopes and {@link PostBatch}es, in the order they are to be written. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writing;
    private volatile boolean broken;
    /** Written by the writer thread only; read by {@link #drain} to tell progress from a stall. */
    private volatile long framesWritten;
    private @org.jspecify.annotations.Nullable Thread writer;

    /**
     * A link that writes frames to {@code out} on a writer thread of its own.
     *
     * @param out              where frames go; buffered by the caller
     * @param name             a name for messages, such as {@code "link to Process-1"}
     * @param peerMaxFrameSize the largest frame body the other side reads (0 if unknown), which
     *                         bounds the frames posts are merged into
     */
    public ControlLink(OutputStream out, String name, int peerMaxFrameSize) {
        this.out = out;
        this.name = name;
        this.batchLimit = PostBatch.limitFor(peerMaxFrameSize);
        this.peerMaxFrameSize = peerMaxFrameSize;
    }

    /** Marks the calling thread as one that reads a link: its sends never wait. */
    public static void markLinkReader() {
        LINK_READER.set(true);
    }

    /**
     * Queues one frame for writing.
     *
     * @param envelope the frame
     * @throws FrameTooLargeException if it is larger than the peer reads; nothing was queued
     * @throws IOException if the link is already known to be closed
     */
    public void send(Envelope envelope) throws IOException {
        if (envelope.hasCall() && envelope.getCall().getOneway()) {
            // A post passing through (or a merged frame of them): it joins a batch like ours.
            Call c = envelope.getCall();
            post(envelope.getTo(), envelope.getFrom(), c.getId(), c.getObject(), c.getOp(), c.getThread(),
                    c.getPayload());
            for (ByteString more : c.getMorePayloadsList()) {
                post(envelope.getTo(), envelope.getFrom(), c.getId(), c.getObject(), c.getOp(), c.getThread(), more);
            }
            return;
        }
        long size = envelope.getSerializedSize();
        if (peerMaxFrameSize > 0 && size > peerMaxFrameSize) {
            throw new FrameTooLargeException(size, peerMaxFrameSize, name);
        }
        // Replies and death notices never wait: owners send them holding their monitor.
        boolean mayWait = !envelope.hasReply() && !envelope.hasProcessGone();
        synchronized (lock) {
            awaitRoom(mayWait);
            queue.addLast(envelope);
            queuedBytes += size;
            wakeWriter();
        }
    }

    /**
     * Writes one frame at once, on the calling thread, when it is the link's first (no writer
     * thread yet, nothing queued) and small ({@value #FIRST_WRITE_MAX} bytes at most); else queues
     * it as {@link #send} does. For a child's bootstrap: starting the writer thread for it put a
     * thread's start and hand-over on every start's critical path. The size bound keeps the
     * write from ever waiting for the reader: an empty pipe holds 16 KiB on macOS and 64 KiB on
     * Linux, so a child that never reads cannot block the caller here, where a deadline or an
     * interrupt could not reach it (a larger bootstrap, a class path of hundreds of jars, goes
     * through the writer thread as before).
     *
     * @param envelope the frame
     * @throws IOException if the write fails (the link is then broken) or the link is closed
     */
    public void sendFirst(Envelope envelope) throws IOException {
        synchronized (lock) {
            if (writer == null && queue.isEmpty() && !broken && envelope.getSerializedSize() <= FIRST_WRITE_MAX) {
                // Holding the lock with no writer thread: a concurrent send waits for the lock,
                // then starts the writer, which writes after this frame.
                try {
                    Frames.write(out, envelope);
                    out.flush();
                    framesWritten++;
                } catch (IOException | RuntimeException e) {
                    markBroken();
                    closeQuietly();
                    throw e;
                }
                return;
            }
        }
        send(envelope);
    }

    /**
     * Queues a posted call (one-way: the owner answers nothing), merged into the batch at the
     * tail of the queue when it goes the same way.
     *
     * @param to      the owner's address
     * @param from    the sender's address
     * @param id      the call's id
     * @param object  the object's id at the owner
     * @param op      the operation
     * @param thread  the posting thread's id
     * @param payload the argument
     * @throws IOException if the link is already known to be closed
     */
    public void post(String to, String from, long id, long object, int op, long thread, ByteString payload)
            throws IOException {
        synchronized (lock) {
            awaitRoom(true);
            if (!(queue.peekLast() instanceof PostBatch last && last.add(to, from, object, op, thread, payload))) {
                queue.addLast(new PostBatch(to, from, id, object, op, thread, payload, batchLimit));
            }
            queuedBytes += payload.size();
            wakeWriter();
        }
    }

    /**
     * Holding the lock: waits while too much is queued, unless the frame may not wait or the
     * caller reads a link (asked only then: a thread-local look-up per post adds up).
     */
    private void awaitRoom(boolean mayWait) throws IOException {
        boolean interrupted = false;
        while (!broken && queuedBytes > MAX_QUEUED_BYTES && mayWait && !LINK_READER.get()) {
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
    }

    /** Holding the lock: starts the writer, or wakes it. */
    private void wakeWriter() {
        if (writer == null) {
            writer = Thread.ofPlatform().daemon().name("multiprocessing4j-writer (" + name + ")")
                    .start(this::writeLoop);
        }
        lock.notifyAll();
    }

    private void writeLoop() {
        List<Object> batch = new ArrayList<>();
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
                    Object item = queue.pollFirst();
                    bytes += item instanceof PostBatch posts ? posts.payloadBytes()
                            : ((Envelope) item).getSerializedSize();
                    batch.add(item);
                }
                writing = true;
            }
            try {
                for (Object item : batch) {
                    if (item instanceof PostBatch posts) {
                        Frames.write(out, posts.seal());
                        framesWritten += posts.count();
                    } else {
                        Frames.write(out, (Envelope) item);
                        framesWritten++;
                    }
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
