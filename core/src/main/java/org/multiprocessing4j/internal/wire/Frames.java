package org.multiprocessing4j.internal.wire;

import static org.multiprocessing4j.internal.wire.WireConstants.FRAME_HEADER_SIZE;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.multiprocessing4j.internal.wire.proto.Envelope;

/**
 * Writes frames: a 4-byte big-endian length N, then the N bytes of an {@link Envelope}.
 * {@link FrameReader} reads them back.
 *
 * @since 0.1
 */
public final class Frames {
    private static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

    private Frames() {}

    /**
     * Writes one frame with a single {@code write} call. Does not flush: the caller flushes
     * when it wants the frame sent. Callers that share a stream between threads write one frame
     * at a time.
     *
     * @param out      the stream
     * @param envelope the envelope
     * @throws IOException if the stream fails
     */
    public static void write(OutputStream out, Envelope envelope) throws IOException {
        write(out, envelope, MAX_ARRAY_SIZE - FRAME_HEADER_SIZE);
    }

    /**
     * Writes one frame whose body is already encoded (such as a {@link PostBatch}'s). Does not
     * flush.
     *
     * @param out  the stream
     * @param body the envelope's bytes
     * @throws IOException if the stream fails
     */
    public static void write(OutputStream out, byte[] body) throws IOException {
        int size = body.length;
        out.write(new byte[] {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
        out.write(body);
    }

    /**
     * Writes one frame with a single {@code write} call, after checking its size against the
     * peer's maximum, so that an oversize frame fails in the sender. Does not flush.
     *
     * @param out          the stream
     * @param envelope     the envelope
     * @param maxFrameSize the largest body the reader accepts
     * @throws WireException if the envelope is larger than {@code maxFrameSize}; nothing is
     *                       written then
     * @throws IOException   if the stream fails
     */
    public static void write(OutputStream out, Envelope envelope, int maxFrameSize)
            throws IOException {
        int size = envelope.getSerializedSize();
        if (size > maxFrameSize) {
            throw new WireException("cannot send a frame of " + size + " bytes: the maximum is "
                    + maxFrameSize + " (" + envelope.getBodyCase() + ")");
        }
        byte[] frame = new byte[FRAME_HEADER_SIZE + size];
        frame[0] = (byte) (size >>> 24);
        frame[1] = (byte) (size >>> 16);
        frame[2] = (byte) (size >>> 8);
        frame[3] = (byte) size;
        CodedOutputStream body = CodedOutputStream.newInstance(frame, FRAME_HEADER_SIZE, size);
        envelope.writeTo(body);
        body.checkNoSpaceLeft();
        out.write(frame);
    }
}
