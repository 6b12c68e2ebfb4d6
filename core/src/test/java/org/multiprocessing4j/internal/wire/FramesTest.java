package org.multiprocessing4j.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.Output;

@DisplayName("Frames.write")
class FramesTest {

    /** Counts the calls made on it. */
    static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;
        int flushes;
        /** The arrays passed to write, in order. */
        final java.util.List<byte[]> arrays = new java.util.ArrayList<>();

        @Override
        public void write(int b) {
            writes++;
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            arrays.add(b);
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    @Test
    @DisplayName("a frame is a big-endian length and the envelope, in one write call, not flushed")
    void oneWriteNoFlush() throws IOException {
        Envelope envelope = Envelope.newBuilder().setTo("1").setFrom("").build();
        CountingStream out = new CountingStream();

        Frames.write(out, envelope);

        byte[] body = envelope.toByteArray();
        byte[] expected = new byte[4 + body.length];
        expected[3] = (byte) body.length;
        System.arraycopy(body, 0, expected, 4, body.length);
        assertArrayEquals(expected, out.bytes.toByteArray());
        assertEquals(1, out.writes);
        assertEquals(0, out.flushes);
    }

    @Test
    @DisplayName("an envelope over the peer's maximum fails in the sender and writes nothing")
    void oversizeInSender() {
        Envelope envelope = Envelope.newBuilder()
                .setOutput(Output.newBuilder().setData(ByteString.copyFrom(new byte[100])))
                .build();
        CountingStream out = new CountingStream();

        var error = assertThrows(WireException.class, () -> Frames.write(out, envelope, 50));

        assertTrue(error.getMessage().contains("the maximum is 50"), error.getMessage());
        assertEquals(0, out.writes);
    }

    @Test
    @DisplayName("a large frame is the same bytes, its large field written from its own array, not flushed")
    void largeFrameStreamed() throws IOException {
        byte[] data = new byte[Frames.STREAMED_BODY + 1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Envelope envelope = Envelope.newBuilder().setTo("1").setFrom("")
                .setOutput(Output.newBuilder().setData(com.google.protobuf.UnsafeByteOperations.unsafeWrap(data)))
                .build();
        CountingStream out = new CountingStream();

        Frames.write(out, envelope);

        byte[] body = envelope.toByteArray();
        byte[] expected = new byte[4 + body.length];
        expected[0] = (byte) (body.length >>> 24);
        expected[1] = (byte) (body.length >>> 16);
        expected[2] = (byte) (body.length >>> 8);
        expected[3] = (byte) body.length;
        System.arraycopy(body, 0, expected, 4, body.length);
        assertArrayEquals(expected, out.bytes.toByteArray());
        assertTrue(out.arrays.stream().anyMatch(a -> a == data), "the field's bytes were copied on the way");
        assertEquals(0, out.flushes);
        Envelope back = FrameReader.parse(java.util.Arrays.copyOfRange(out.bytes.toByteArray(), 4, expected.length));
        assertEquals(envelope, back);
    }
}
