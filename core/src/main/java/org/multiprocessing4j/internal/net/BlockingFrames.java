package org.multiprocessing4j.internal.net;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.wire.WireConstants;
import org.multiprocessing4j.internal.wire.WireException;

/**
 * Length-prefixed frames (4-byte big-endian length, then the body) over a blocking channel,
 * for {@code Listener} and {@code Client} connections and their handshake.
 */
final class BlockingFrames {
    private BlockingFrames() {
    }

    /**
     * Writes one frame. Callers that share a channel between threads write one frame at a time.
     *
     * @param ch   the channel, in blocking mode
     * @param body the frame's body
     * @throws IOException if the channel fails
     */
    static void write(ByteChannel ch, byte[] body) throws IOException {
        // One buffer, one write: a header and a body written apart meet Nagle's algorithm and the
        // peer's delayed acknowledgement (40 ms) on every small message.
        ByteBuffer frame = ByteBuffer.allocate(WireConstants.FRAME_HEADER_SIZE + body.length)
                .putInt(body.length).put(body).flip();
        while (frame.hasRemaining()) {
            ch.write(frame);
        }
    }

    /**
     * Reads one frame.
     *
     * @param ch   the channel, in blocking mode
     * @param max  the largest body accepted
     * @param peer the peer, for messages
     * @return the body, or null at a clean end of file (before the first byte of a frame)
     * @throws EOFException  if the stream ends inside a frame
     * @throws WireException if the length is negative or larger than {@code max}
     * @throws IOException   if the channel fails
     */
    static byte @Nullable [] read(ByteChannel ch, int max, String peer) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(WireConstants.FRAME_HEADER_SIZE);
        if (!fill(ch, header, true, peer)) {
            return null;
        }
        int length = header.getInt(0);
        if (length < 0 || length > max) {
            throw new WireException(peer + " sent a frame of " + Integer.toUnsignedString(length)
                    + " bytes; the maximum is " + max + " (" + Handshake.describe(header.array()) + ")");
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        fill(ch, body, false, peer);
        return body.array();
    }

    private static boolean fill(ByteChannel ch, ByteBuffer buf, boolean atStart, String peer) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                if (atStart && buf.position() == 0) {
                    return false;
                }
                throw new EOFException(peer + " closed the connection in the middle of a frame");
            }
        }
        return true;
    }
}
