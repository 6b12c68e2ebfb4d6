package org.multiprocessing4j.spi;

import java.io.IOException;

/**
 * Direct links between the processes of one tree, the optional part of a {@link Transport} that
 * moves the broker's traffic off the control links: a process that calls an object owned by
 * another connects to that process's endpoint and talks to it without relaying through the
 * processes between them (siblings, grandchildren, the root).
 *
 * <p>Core decides when to link and what travels; the transport only moves opaque frames,
 * whole and in order, and authenticates every link with the tree's authkey before the first
 * frame is delivered (both sides prove the key). Core keeps the order of everything one
 * process sends to another across the switch from the tree to a direct link, so a transport
 * needs no ordering guarantee beyond "frames of one link arrive in the order sent".
 *
 * <p>Implementations are thread-safe. Frames are delivered on the transport's threads, which
 * must not be blocked by anything but the receiver; core's receivers never block.
 *
 * @since 0.1
 */
public interface Links extends AutoCloseable {

    /**
     * Starts accepting links, the first time it is called; later calls return the same endpoint
     * and ignore their argument.
     *
     * @param acceptor gets every link another process opened here, once it is authenticated
     * @return this process's endpoint, a string that {@link #connect} understands in any process
     *         of the tree
     * @throws IOException if nothing can listen
     */
    String listen(Acceptor acceptor) throws IOException;

    /**
     * Opens a link to another process's endpoint and authenticates it. May block the caller
     * (never a transport thread) until the link is ready.
     *
     * @param endpoint an endpoint from {@link #listen} in another process
     * @param receiver gets what the other process sends back on this link
     * @return the link
     * @throws IOException if the endpoint cannot be reached, or authentication failed (an
     *                     {@link org.multiprocessing4j.AuthenticationException} as its cause or
     *                     itself)
     */
    Link connect(String endpoint, Receiver receiver) throws IOException;

    /**
     * Writes what every link was given, closes them (gracefully: the peers read every frame,
     * then the end) and stops listening; waits a bounded time for that. Called once, at exit.
     */
    @Override
    void close();

    /** One end of a link. Thread-safe. */
    interface Link {

        /**
         * Sends one frame. Frames of one link arrive whole and in the order sent.
         *
         * @param frame   the frame; the link may keep the array
         * @param mayWait whether the caller may be held while the link has too much unsent
         *                data (false for threads that deliver frames, which must never block)
         * @throws IOException if the link is closed
         */
        void send(byte[] frame, boolean mayWait) throws IOException;

        /**
         * Sends a frame whose bytes are made when the link writes it: it takes its place among
         * the frames sent, and the link calls {@link GrowingFrame#seal} once, just before
         * writing it (core adds posts to such a frame until then, so posts that queue up
         * while the link is busy share one frame). The default seals it at once.
         *
         * @param frame   the frame to come
         * @param mayWait as for {@link #send(byte[], boolean)}
         * @throws IOException if the link is closed
         * @since 0.1
         */
        default void send(GrowingFrame frame, boolean mayWait) throws IOException {
            send(frame.seal(), mayWait);
        }

        /** Closes the link after writing what it was given. Idempotent. */
        void close();
    }

    /** A frame that its sender may still add to until the link seals it. Thread-safe. */
    interface GrowingFrame {

        /**
         * Ends the frame: the sender adds nothing more to it. Called by the link, from any
         * thread, just before it writes the frame; idempotent.
         *
         * @return the frame's bytes, handed over to the link
         */
        byte[] seal();
    }

    /** Gets the frames of one link. */
    interface Receiver {

        /**
         * Gets one frame; called on a transport thread, never blocks.
         *
         * @param frame one frame, as the other side sent it; handed over: the receiver keeps
         *              views of it, so the transport never reuses or changes the array
         */
        void frame(byte[] frame);

        /**
         * The link ended: closed by either side, or broken; no frame follows.
         *
         * @param cause why, or null for an orderly close
         */
        void closed(@org.jspecify.annotations.Nullable Throwable cause);
    }

    /** Takes the links other processes open. */
    interface Acceptor {

        /**
         * {@return what gets its frames}
         *
         * @param link a new, authenticated link
         */
        Receiver accepted(Link link);
    }
}
