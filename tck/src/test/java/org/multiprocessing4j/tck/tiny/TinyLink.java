package org.multiprocessing4j.tck.tiny;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.spi.Links;

/**
 * Step 4: one link. A reader thread hands every received frame to the receiver; a writer
 * thread writes what {@link #send} queued, so that {@code send} never blocks a thread that
 * delivers frames (two processes writing to each other while neither reads cannot wedge).
 */
final class TinyLink implements Links.Link {
    /** Queued after the last frame by {@link #close}: the writer closes the connection. */
    private static final byte[] END = new byte[0];

    private final Connection conn;
    private final LinkedBlockingQueue<byte[]> outbox = new LinkedBlockingQueue<>();
    private volatile boolean closing;
    private volatile boolean broken;
    private @Nullable Thread writer;

    TinyLink(Connection conn) {
        this.conn = conn;
    }

    void start(Links.Receiver receiver) {
        writer = Thread.ofPlatform().daemon().name("tiny-write").start(this::writeLoop);
        Thread.ofPlatform().daemon().name("tiny-read").start(() -> readLoop(receiver));
    }

    private void readLoop(Links.Receiver receiver) {
        Throwable cause = null;
        try {
            while (true) {
                receiver.frame(conn.recvBytes());
            }
        } catch (EOFException end) {
            // the other side closed: an orderly end
        } catch (InterruptedException | RuntimeException e) {
            cause = closing ? null : e;
        }
        broken = true;
        receiver.closed(cause);
    }

    private void writeLoop() {
        try {
            for (byte[] frame = outbox.take(); frame != END; frame = outbox.take()) {
                conn.sendBytes(frame);
            }
        } catch (InterruptedException | RuntimeException e) {
            broken = true;                // a broken pipe: the reader reports the end
        } finally {
            conn.close();
        }
    }

    @Override
    public void send(byte[] frame, boolean mayWait) throws IOException {
        if (closing || broken) {
            throw new IOException("the tiny link is closed");
        }
        outbox.add(frame);
    }

    @Override
    public synchronized void close() {
        if (!closing) {
            closing = true;
            outbox.add(END);
        }
    }

    void awaitClosed(long deadlineNanos) {
        Thread w = writer;
        if (w == null) {
            return;
        }
        try {
            w.join(TimeUnit.NANOSECONDS.toMillis(Math.max(1, deadlineNanos - System.nanoTime())) + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
