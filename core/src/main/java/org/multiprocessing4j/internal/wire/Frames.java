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
    /** Bodies larger than this are written field by field, not copied into one array first. */
    static final int STREAMED_BODY = 64 * 1024;
    /** The encoder's buffer for a streamed body: small fields gather there, large ones pass by. */
    private static final int STREAM_BUFFER = 8 * 1024;

    private Frames() {}

    /**
     * Writes one frame (see {@link #write(OutputStream, Envelope, int)}). Does not flush: the caller flushes
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
        out.write(header(body.length));
        out.write(body);
    }

    /**
     * Writes one frame, after checking its size against the peer's maximum, so that an
     * oversize frame fails in the sender. A frame of up to {@link #STREAMED_BODY} bytes is one
     * {@code write} call; a larger one is written field by field, its large byte fields
     * straight from their arrays. Does not flush.
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
        if (size > STREAMED_BODY) {
            // A large body (a big message) goes straight from its fields to the stream: no
            // array of its size to allocate, zero and fill first. Such a frame is several writes
            // whichever way it goes: a pipe keeps only writes of at most 4 KiB whole.
            out.write(header(size));
            CodedOutputStream body = CodedOutputStream.newInstance(out, STREAM_BUFFER);
            envelope.writeTo(body);
            body.flush();
            if (body.getTotalBytesWritten() != size) {
                throw new IllegalStateException("an envelope of " + size + " bytes wrote " + body.getTotalBytesWritten()
                        + ": the stream is out of step");
            }
            return;
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

    /** {@return a frame's length header: {@code size}, big-endian} */
    private static byte[] header(int size) {
        return new byte[] {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size};
    }
}
