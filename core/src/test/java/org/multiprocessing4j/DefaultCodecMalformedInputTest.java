package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import com.google.protobuf.StringValue;

@DisplayName("DefaultCodec on bytes that are not a valid encoding")
class DefaultCodecMalformedInputTest {
    private final DefaultCodec codec = new DefaultCodec();

    private String decodeError(byte... bytes) {
        return assertThrows(CodecException.class, () -> codec.decode(bytes)).getMessage();
    }

    @Test
    @DisplayName("an empty input says it has no tag")
    void empty() {
        assertTrue(decodeError().contains("empty input"));
    }

    @Test
    @DisplayName("an unknown tag is named with its value")
    void unknownTag() {
        assertEquals("cannot decode: unknown tag 127 (0x7f) at offset 0; the bytes are not a"
                + " DefaultCodec encoding, or come from a newer version", decodeError((byte) 0x7F));
        assertTrue(decodeError((byte) 0xFF).contains("unknown tag 255 (0xff)"));
    }

    @Test
    @DisplayName("a truncated fixed-width value says how many bytes it expected and got")
    void truncatedFixedWidth() {
        assertEquals("cannot decode INT: expected 4 bytes after the tag, got 2 (truncated)",
                decodeError((byte) 4, (byte) 0, (byte) 0));
        assertTrue(decodeError((byte) 5).contains("LONG: expected 8 bytes after the tag, got 0"));
        assertTrue(decodeError((byte) 10, (byte) 1).contains("CHAR: expected 2"));
    }

    @Test
    @DisplayName("trailing bytes after a fixed-width or empty payload are an error")
    void trailingBytes() {
        assertTrue(decodeError((byte) 4, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 9)
                .contains("got 5 (trailing bytes)"));
        assertTrue(decodeError((byte) 0, (byte) 0).contains("NULL: expected 0"));
        assertTrue(decodeError((byte) 12, (byte) 1).contains("TRUE: expected 0"));
    }

    @Test
    @DisplayName("a UTF-16 string of an odd length is an error")
    void oddUtf16() {
        assertTrue(decodeError((byte) 3, (byte) 0, (byte) 'a', (byte) 0).contains("even"));
    }

    @Test
    @DisplayName("a truncated protobuf header or class name says what it expected")
    void truncatedProtobuf() {
        assertTrue(decodeError((byte) 14, (byte) 0).contains("expected 2 bytes of class-name"));
        assertTrue(decodeError((byte) 14, (byte) 0, (byte) 9, (byte) 'a')
                .contains("truncated class name, expected 9 bytes, got 1"));
    }

    @Test
    @DisplayName("a malformed protobuf message names its class")
    void malformedProtobuf() {
        byte[] encoded = codec.encode(StringValue.of("somewhere"));
        byte[] broken = Arrays.copyOf(encoded, encoded.length - 3);

        String message = assertThrows(CodecException.class, () -> codec.decode(broken))
                .getMessage();

        assertTrue(message.contains("malformed message of class " + StringValue.class.getName()),
                message);
    }

    @Test
    @DisplayName("garbage after the Java serialization tag is a CodecException")
    void garbageJava() {
        assertTrue(decodeError((byte) 15, (byte) 1, (byte) 2, (byte) 3)
                .startsWith("cannot decode a Java-serialized value (3 bytes)"));
    }

    @Test
    @DisplayName("a truncated Java serialization stream says truncated")
    void truncatedJava() {
        byte[] encoded = codec.encode(new ArrayList<>(List.of("a", "b", "c")));

        String message = decodeError(Arrays.copyOf(encoded, encoded.length - 4));

        assertTrue(message.contains("truncated"), message);
    }

    @Test
    @DisplayName("every truncation of valid encodings fails with a CodecException, nothing else")
    void everyTruncation() {
        List<Object> values = List.of("héllo", 42, 7L, 1.5, 2.5f, (short) 3, 'c',
                ByteBuffer.wrap(new byte[] {1, 2}), StringValue.of("x"),
                new ArrayList<>(List.of(1, "two", Map.of(3, 4.0))));
        for (Object value : values) {
            byte[] encoded = codec.encode(value);
            for (int length = 0; length < encoded.length; length++) {
                try {
                    codec.decode(encoded, 0, length);
                } catch (CodecException expected) {
                    // the only acceptable failure
                } catch (RuntimeException e) {
                    fail("decoding " + length + " of " + encoded.length + " bytes of "
                            + value.getClass().getName() + " threw " + e, e);
                }
            }
        }
    }

    @Test
    @DisplayName("random bytes decode to a value or fail with a CodecException, nothing else")
    void randomGarbage() {
        SplittableRandom random = new SplittableRandom(20261125);
        byte[] javaStream = codec.encode(new ArrayList<>(List.of("seed", 1, 2L)));
        for (int i = 0; i < 5_000; i++) {
            byte[] garbage;
            if (i % 2 == 0) {
                garbage = new byte[random.nextInt(1, 64)];
                random.nextBytes(garbage);
                garbage[0] = (byte) random.nextInt(0, 17);
            } else {
                garbage = javaStream.clone();
                garbage[random.nextInt(1, garbage.length)] = (byte) random.nextInt(256);
            }
            try {
                codec.decode(garbage);
            } catch (CodecException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("decoding " + Arrays.toString(garbage) + " threw " + e, e);
            }
        }
    }

    @Test
    @DisplayName("an offset and length outside the array are a programming error")
    void badBounds() {
        assertThrows(IndexOutOfBoundsException.class, () -> codec.decode(new byte[4], 2, 3));
    }
}
