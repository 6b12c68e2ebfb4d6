package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("DefaultCodec fast paths")
class DefaultCodecFastPathTest {
    private final DefaultCodec codec = new DefaultCodec();

    static Stream<Object> scalars() {
        return Stream.of(
                "", "hello", "héllo wörld", "日本語", "\uD834\uDD1E clef and 😀 emoji",
                "unpaired high \uD800 surrogate", "unpaired low \uDC00", "\uDC00\uD800 reversed",
                "ends with a high surrogate \uD83D", "\u0000 nul inside",
                0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE,
                0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE,
                0.0, -0.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, Double.MAX_VALUE,
                0.0f, -0.0f, Float.NaN, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                (short) 0, Short.MIN_VALUE, Short.MAX_VALUE,
                (byte) 0, Byte.MIN_VALUE, Byte.MAX_VALUE,
                'a', '\u0000', '\uFFFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF',
                true, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalars")
    @DisplayName("a string, box or boolean decodes to an equal value of the same class")
    void scalarRoundTrip(Object value) {
        Object decoded = codec.decode(codec.encode(value));

        assertEquals(value.getClass(), decoded == null ? null : decoded.getClass());
        assertEquals(value, decoded);
    }

    @Test
    @DisplayName("a fixed-width box encodes as tag and big-endian payload, without serialization")
    void fixedWidthIsCompact() {
        assertArrayEquals(new byte[] {4, 0x12, 0x34, 0x56, 0x78}, codec.encode(0x12345678));
        assertEquals(9, codec.encode(Long.MIN_VALUE).length);
        assertEquals(9, codec.encode(Math.PI).length);
        assertEquals(5, codec.encode(1f).length);
        assertEquals(3, codec.encode('x').length);
        assertEquals(1, codec.encode(true).length);
        assertEquals(1, codec.encode(null).length);
        assertEquals(6, codec.encode("hello").length);
    }

    @Test
    @DisplayName("NaN payloads and negative zero keep their exact bits")
    void floatingPointBits() {
        double nanWithPayload = Double.longBitsToDouble(0x7ff8_0000_0000_0123L);
        float floatNanWithPayload = Float.intBitsToFloat(0x7fc0_0042);

        Object d = codec.decode(codec.encode(nanWithPayload));
        Object f = codec.decode(codec.encode(floatNanWithPayload));
        Object negativeZero = codec.decode(codec.encode(-0.0));

        assertEquals(0x7ff8_0000_0000_0123L, Double.doubleToRawLongBits((Double) d));
        assertEquals(0x7fc0_0042, Float.floatToRawIntBits((Float) f));
        assertEquals(0x8000_0000_0000_0000L, Double.doubleToRawLongBits((Double) negativeZero));
    }

    @Test
    @DisplayName("null round-trips")
    void nullRoundTrip() {
        assertNull(codec.decode(codec.encode(null)));
    }

    @Test
    @DisplayName("a byte array round-trips, empty or holding every byte value, as a copy")
    void byteArrays() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }

        byte[] encoded = codec.encode(all);
        byte[] decoded = (byte[]) codec.decode(encoded);
        encoded[1] = 42;

        assertArrayEquals(all, decoded);
        assertArrayEquals(new byte[0], (byte[]) codec.decode(codec.encode(new byte[0])));
    }

    @Test
    @DisplayName("a value decodes from the middle of a larger array")
    void decodeWithOffset() {
        byte[] encoded = codec.encode(123_456_789L);
        byte[] padded = new byte[encoded.length + 10];
        System.arraycopy(encoded, 0, padded, 7, encoded.length);

        assertEquals(123_456_789L, codec.decode(padded, 7, encoded.length));
    }

    @Test
    @DisplayName("a ByteBuffer's remaining bytes decode to a heap buffer at 0; its position stays")
    void byteBuffer() {
        ByteBuffer source = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6});
        source.position(2).limit(5);

        ByteBuffer decoded = (ByteBuffer) codec.decode(codec.encode(source));

        assertEquals(2, source.position());
        assertEquals(5, source.limit());
        assertEquals(0, decoded.position());
        assertEquals(3, decoded.remaining());
        assertEquals(ByteBuffer.wrap(new byte[] {3, 4, 5}), decoded);
    }

    @Test
    @DisplayName("a direct or read-only ByteBuffer round-trips too, and an empty one")
    void otherByteBuffers() {
        ByteBuffer direct = ByteBuffer.allocateDirect(4).putInt(0, 0xCAFEBABE);
        ByteBuffer readOnly = ByteBuffer.wrap(new byte[] {9, 8, 7}).asReadOnlyBuffer();

        ByteBuffer fromDirect = (ByteBuffer) codec.decode(codec.encode(direct));
        ByteBuffer fromReadOnly = (ByteBuffer) codec.decode(codec.encode(readOnly));
        ByteBuffer empty = (ByteBuffer) codec.decode(codec.encode(ByteBuffer.allocate(0)));

        assertEquals(0xCAFEBABE, fromDirect.getInt(0));
        assertEquals(0, direct.position());
        assertEquals(ByteBuffer.wrap(new byte[] {9, 8, 7}), fromReadOnly);
        assertEquals(0, empty.capacity());
    }

    @Test
    @DisplayName("a protobuf message round-trips through its class's parseFrom")
    void protobufMessage() {
        Struct struct = Struct.newBuilder()
                .putFields("to", Value.newBuilder().setStringValue("1:2").build())
                .putFields("daemon", Value.newBuilder().setBoolValue(true).build())
                .putFields("list", Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(Value.newBuilder().setNumberValue(1.5))).build())
                .build();
        BytesValue bytes = BytesValue.of(ByteString.copyFromUtf8("oops\n"));

        Object decoded = codec.decode(codec.encode(struct));

        assertInstanceOf(Struct.class, decoded);
        assertEquals(struct, decoded);
        assertEquals(bytes, codec.decode(codec.encode(bytes)));
        assertEquals(Struct.getDefaultInstance(), codec.decode(codec.encode(Struct.getDefaultInstance())));
    }
}
