package org.multiprocessing4j.internal.wire;

import static org.multiprocessing4j.internal.wire.WireConstants.FRAME_HEADER_SIZE;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.wire.proto.Envelope;

/**
 * Reads the frames that {@link Frames} writes from one stream. Used by one thread at a time.
 *
 * <p>Bytes that are not a frame fail with a {@link WireException} naming the link: a stream
 * that ends inside a frame, a length that is negative or over the maximum (checked before the
 * body's buffer is allocated), or a body that is not an envelope. After such an error the
 * stream is out of step and the link should be closed.
 *
 * @since 0.1
 */
public final class FrameReader {
    private final InputStream in;
    private final int maxFrameSize;
    private final String linkName;
    private final byte[] header = new byte[FRAME_HEADER_SIZE];

    /**
     * Makes a reader of one stream.
     *
     * @param in           the stream; not closed by this reader
     * @param maxFrameSize the largest body accepted, in bytes
     * @param linkName     names the link in error messages, e.g. {@code "stdin of Process-1"}
     * @throws IllegalArgumentException if {@code maxFrameSize} is not positive
     */
    public FrameReader(InputStream in, int maxFrameSize, String linkName) {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
        }
        this.in = Objects.requireNonNull(in, "in");
        this.maxFrameSize = maxFrameSize;
        this.linkName = Objects.requireNonNull(linkName, "linkName");
    }

    /**
     * Reads the next frame, blocking until it has arrived.
     *
     * @return the envelope, or null if the stream ended cleanly between frames
     * @throws WireException if the bytes are not a valid frame
     * @throws IOException   if the stream fails
     */
    public @Nullable Envelope read() throws IOException {
        int got = in.readNBytes(header, 0, FRAME_HEADER_SIZE);
        if (got == 0) {
            return null;
        }
        if (got < FRAME_HEADER_SIZE) {
            throw new WireException("truncated frame on " + linkName + ": expected "
                    + FRAME_HEADER_SIZE + " bytes of length header, got " + got);
        }
        int length = (header[0] & 0xFF) << 24 | (header[1] & 0xFF) << 16
                | (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
        if (length < 0 || length > maxFrameSize) {
            throw badLength(length);
        }
        byte[] body = new byte[length];
        got = in.readNBytes(body, 0, length);
        if (got < length) {
            throw new WireException("truncated frame on " + linkName + ": expected " + length
                    + " bytes, got " + got);
        }
        try {
            return parse(body);
        } catch (InvalidProtocolBufferException e) {
            throw new WireException("malformed frame on " + linkName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses one frame's body. The envelope's byte fields (a call's payload, a reply's value)
     * are views of {@code body}, not copies: the caller hands the array over and never changes
     * it afterwards.
     *
     * @param body the bytes of one envelope, owned by the result from now on
     * @return the envelope
     * @throws InvalidProtocolBufferException if the bytes are not an envelope
     */
    public static Envelope parse(byte[] body) throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(body);
        in.enableAliasing(true);
        Envelope e = Envelope.parser().parseFrom(in);
        in.checkLastTagWas(0);
        return e;
    }

    private WireException badLength(int length) {
        String message = (length < 0 ? "negative frame length on " : "oversize frame on ")
                + linkName + ": " + length + " bytes, maximum " + maxFrameSize;
        if (looksLikeText(header)) {
            message += " — starts with '" + printable(header)
                    + "' — did something write to this stream directly?";
        }
        return new WireException(message);
    }

    private static boolean looksLikeText(byte[] bytes) {
        for (byte b : bytes) {
            if ((b < 0x20 || b > 0x7E) && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String printable(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            switch (b) {
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append((char) b);
            }
        }
        return text.toString();
    }
}
