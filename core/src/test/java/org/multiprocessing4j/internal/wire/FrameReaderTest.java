package org.multiprocessing4j.internal.wire;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.internal.wire.proto.Call;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.Output;
import org.multiprocessing4j.internal.wire.proto.Reply;
import org.multiprocessing4j.internal.wire.proto.Started;

@DisplayName("FrameReader")
class FrameReaderTest {
    private static final String LINK = "test-link";

    private static List<Envelope> sample() {
        return List.of(
                Envelope.newBuilder().setTo("1").setStarted(Started.newBuilder().setPid(42))
                        .build(),
                Envelope.getDefaultInstance(),
                Envelope.newBuilder().setFrom("1:2").setCall(Call.newBuilder().setId(7)
                        .setObject(3).setOp(1).setPayload(ByteString.copyFromUtf8("x"))
                        .setTimeoutNanos(-1)).build(),
                Envelope.newBuilder().setReply(Reply.newBuilder().setId(7)
                        .setValue(ByteString.copyFrom(new byte[70_000]))).build());
    }

    private static byte[] framed(List<Envelope> envelopes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Envelope envelope : envelopes) {
            Frames.write(out, envelope);
        }
        return out.toByteArray();
    }

    private static FrameReader reader(byte[] bytes) {
        return new FrameReader(new ByteArrayInputStream(bytes),
                WireConstants.DEFAULT_MAX_FRAME_SIZE, LINK);
    }

    private static String readError(byte[] bytes) {
        return assertThrows(WireException.class, () -> reader(bytes).read()).getMessage();
    }

    @Test
    @DisplayName("several frames read back in order, then null at the clean end")
    void roundTrip() throws IOException {
        FrameReader reader = reader(framed(sample()));

        for (Envelope expected : sample()) {
            assertEquals(expected, reader.read());
        }
        assertNull(reader.read());
        assertNull(reader.read());
    }

    @Test
    @Timeout(30)
    @DisplayName("frames cross a pipe written by another thread")
    void overPipe() throws Exception {
        PipedInputStream in = new PipedInputStream(1024);
        PipedOutputStream out = new PipedOutputStream(in);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (out) {
                for (Envelope envelope : sample()) {
                    Frames.write(out, envelope);
                    out.flush();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        FrameReader reader = new FrameReader(in, WireConstants.DEFAULT_MAX_FRAME_SIZE, LINK);
        List<Envelope> received = new ArrayList<>();
        for (Envelope e = reader.read(); e != null; e = reader.read()) {
            received.add(e);
        }

        writer.get(10, TimeUnit.SECONDS);
        assertEquals(sample(), received);
    }

    @Test
    @DisplayName("an empty stream is a clean end")
    void emptyStream() throws IOException {
        assertNull(reader(new byte[0]).read());
    }

    @Test
    @DisplayName("a stream ending inside the length header is a truncated frame")
    void truncatedHeader() {
        assertEquals("truncated frame on test-link: expected 4 bytes of length header, got 2",
                readError(new byte[] {0, 0}));
    }

    @Test
    @DisplayName("a stream ending inside the body is a truncated frame")
    void truncatedBody() throws IOException {
        byte[] whole = framed(List.of(sample().getFirst()));
        int bodyLength = whole.length - 4;

        String message = readError(Arrays.copyOf(whole, whole.length - 1));

        assertEquals("truncated frame on test-link: expected " + bodyLength + " bytes, got "
                + (bodyLength - 1), message);
    }

    @Test
    @DisplayName("a length over the maximum is refused before anything is allocated")
    void oversize() {
        FrameReader reader = new FrameReader(
                new ByteArrayInputStream(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, 0x00}),
                1024, LINK);

        var error = assertThrows(WireException.class, reader::read);

        assertEquals("oversize frame on test-link: 2147483392 bytes, maximum 1024",
                error.getMessage());
    }

    @Test
    @DisplayName("a negative length is refused")
    void negativeLength() {
        String message = readError(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE});

        assertEquals("negative frame length on test-link: -2 bytes, maximum 67108864", message);
    }

    @Test
    @DisplayName("text where a frame should be is shown, with a hint that something wrote to the stream")
    void textGarbage() {
        String message = readError("Hello world\n".getBytes(US_ASCII));

        assertEquals("oversize frame on test-link: 1214606444 bytes, maximum 67108864 — starts"
                + " with 'Hell' — did something write to this stream directly?", message);
    }

    @Test
    @DisplayName("control characters in text are shown escaped")
    void textWithNewline() {
        String message = readError("ok\r\nmore".getBytes(US_ASCII));

        assertTrue(message.contains("starts with 'ok\\r\\n'"), message);
    }

    @Test
    @DisplayName("a body that is not an envelope is a malformed frame")
    void malformedBody() {
        byte[] frame = {0, 0, 0, 3, (byte) 0x0A, 0x05, 'a'}; // field 1, length 5, 1 byte

        String message = readError(frame);

        assertTrue(message.startsWith("malformed frame on test-link: "), message);
    }

    @Test
    @DisplayName("a frame of exactly the maximum size is accepted, one byte more is not")
    void maximumSize() throws IOException {
        Envelope envelope = Envelope.newBuilder()
                .setOutput(Output.newBuilder().setData(ByteString.copyFrom(new byte[1000])))
                .build();
        int size = envelope.getSerializedSize();
        byte[] frame = framed(List.of(envelope));

        Envelope read = new FrameReader(new ByteArrayInputStream(frame), size, LINK).read();
        var error = assertThrows(WireException.class,
                () -> new FrameReader(new ByteArrayInputStream(frame), size - 1, LINK).read());

        assertEquals(envelope, read);
        assertTrue(error.getMessage().startsWith("oversize frame"), error.getMessage());
    }

    @Test
    @DisplayName("a frame of DEFAULT_MAX_FRAME_SIZE bytes is accepted by default")
    void defaultMaximum() throws IOException {
        int max = WireConstants.DEFAULT_MAX_FRAME_SIZE;
        Envelope envelope = outputOf(max);
        // the data is wrapped in two tag-and-length headers: take their size off
        envelope = outputOf(max - (envelope.getSerializedSize() - max));
        assertEquals(max, envelope.getSerializedSize());

        Envelope read = reader(framed(List.of(envelope))).read();

        assertEquals(max, read.getSerializedSize());
    }

    private static Envelope outputOf(int dataBytes) {
        return Envelope.newBuilder()
                .setOutput(Output.newBuilder().setData(ByteString.copyFrom(new byte[dataBytes])))
                .build();
    }

    @Test
    @DisplayName("a maximum frame size that is not positive is refused")
    void badMaximum() {
        assertThrows(IllegalArgumentException.class,
                () -> new FrameReader(new ByteArrayInputStream(new byte[0]), 0, LINK));
    }
}
