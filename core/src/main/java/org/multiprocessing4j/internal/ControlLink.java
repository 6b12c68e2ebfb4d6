package org.multiprocessing4j.internal;

import java.io.IOException;
import java.io.OutputStream;
import org.multiprocessing4j.internal.wire.Frames;
import org.multiprocessing4j.internal.wire.proto.Envelope;

/**
 * The writing half of a parent-child control link: frames to a child's stdin, or from a child
 * to its parent over its stdout. Thread-safe: each frame is written and flushed whole, under
 * one lock, so frames from several threads never interleave.
 */
public final class ControlLink {
    private final OutputStream out;
    private final String name;
    private final Object lock = new Object();
    private volatile boolean broken;

    /**
     * @param out  where frames go; buffered by the caller
     * @param name a name for messages, such as {@code "link to Process-1"}
     */
    public ControlLink(OutputStream out, String name) {
        this.out = out;
        this.name = name;
    }

    /**
     * Writes and flushes one frame.
     *
     * @param envelope the frame
     * @throws IOException if the other side is gone; the link is then marked broken
     */
    public void send(Envelope envelope) throws IOException {
        synchronized (lock) {
            if (broken) {
                throw new IOException(name + " is closed");
            }
            try {
                Frames.write(out, envelope);
                out.flush();
            } catch (IOException e) {
                broken = true;
                throw new IOException(name + " is closed: " + e.getMessage(), e);
            }
        }
    }

    /** @return true once a write failed or the link was closed */
    public boolean isBroken() {
        return broken;
    }

    /** Closes the stream; the other side reads end of file. Idempotent. */
    public void close() {
        synchronized (lock) {
            broken = true;
            try {
                out.close();
            } catch (IOException ignored) {
                // the other side is gone already: nothing left to tell it
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
