package org.multiprocessing4j;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.Message;
import java.io.ObjectInputFilter;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.codec.BigEndian;
import org.multiprocessing4j.internal.codec.CodecFilter;
import org.multiprocessing4j.internal.codec.JavaSerialization;
import org.multiprocessing4j.internal.codec.Lambdas;
import org.multiprocessing4j.internal.codec.ProtobufValues;
import org.multiprocessing4j.internal.codec.Strings;
import org.multiprocessing4j.internal.codec.Tags;

/**
 * The codec every context uses unless told otherwise: fast paths for common types, Java
 * serialization behind a deserialization filter for everything else.
 *
 * <p>An encoding is one tag byte and a payload. These types take a fast path and decode to an
 * equal value of the same class: {@code null}; {@code byte[]}; {@code String} (UTF-8, exact
 * even for unpaired surrogates); {@code Integer}, {@code Long}, {@code Double}, {@code Float}
 * (raw bits: NaN payloads and {@code -0.0} survive), {@code Short}, {@code Byte},
 * {@code Character}, {@code Boolean}; {@link ByteBuffer}, whose remaining bytes decode to a new
 * big-endian heap buffer at position 0 (the source buffer's position is not changed); and
 * protobuf {@link Message}s of generated classes, sent as class name and message bytes and read
 * back with the class's static {@code parseFrom}. Anything else that is
 * {@link java.io.Serializable} goes through an {@code ObjectOutputStream}, but a serializable
 * lambda or method reference that captures only such strings, boxes and nulls, or lambdas of
 * that same kind: it travels as
 * its parts and is made again by its capturing class, as Java serialization would, without the
 * stream's cost (the usual task of a pool, {@code () -> work(i)}).
 *
 * <p><b>Decoding is filtered.</b> Every class a decode would load — in a Java serialization
 * stream, named by a protobuf value, or a lambda's capturing class (with
 * {@code SerializedLambda}, {@code Object[]} and its captured values' classes, as a stream would
 * show them) — passes a filter first:
 * <ol>
 *   <li>the {@linkplain #withFilter filter pattern}, if any, in
 *       {@link ObjectInputFilter.Config#createFilter} syntax: a class it allows or rejects is
 *       decided;
 *   <li>otherwise the default rule: the application's own classes (defined by the application
 *       class loader or a descendant, or on the thread's context class loader chain, which
 *       covers lambdas' capturing classes), and from the JDK only value types — strings and
 *       boxes, enums, throwables, {@code java.math}, {@code java.time}, the common collections
 *       of {@code java.util} and {@code java.util.concurrent}, atomics, {@code UUID},
 *       {@code URI} and a few more. Arrays are judged by their element type.
 * </ol>
 * Limits apply too: {@code maxdepth=1000}, {@code maxrefs=10000000}, and no more bytes or array
 * elements than the input has bytes; a limit set in the pattern replaces the default one. A
 * refused class fails the decode with a {@link CodecException} that names it and says how to
 * allow it.
 *
 * <p>The default rule keeps out gadget chains built from JDK classes; it cannot judge the
 * application's own class path, so it is no defence against a peer that may send anything.
 * Links between processes are authenticated for that reason.
 *
 * <p>Instances are immutable and safe for use by several threads at once. The codec is
 * serializable, pattern included, so it travels to child processes.
 *
 * @since 0.1
 */
public final class DefaultCodec implements Codec {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The pattern consulted before the default rule, or null. @serial */
    private final @Nullable String filterPattern;
    private final transient CodecFilter filter;

    /**
     * Makes a codec with the default filter.
     */
    public DefaultCodec() {
        this(null);
    }

    private DefaultCodec(@Nullable String filterPattern) {
        this.filterPattern = filterPattern;
        this.filter = CodecFilter.of(filterPattern);
    }

    /**
     * Returns a codec like this one whose decodes consult a filter pattern before the default
     * rule. The pattern replaces any this codec has; to add to it, include
     * {@link #filterPattern()} in the new one.
     *
     * <p>For example {@code withFilter("java.io.File;!com.acme.internal.*")} admits
     * {@code java.io.File}, refuses every class of {@code com.acme.internal}, and leaves the
     * rest to the default rule; {@code withFilter("maxdepth=5000")} raises a limit.
     *
     * @param pattern a pattern in {@link ObjectInputFilter.Config#createFilter} syntax
     * @return a new codec
     * @throws IllegalArgumentException if the pattern is malformed or empty
     */
    public DefaultCodec withFilter(String pattern) {
        return new DefaultCodec(Objects.requireNonNull(pattern, "pattern"));
    }

    /**
     * Returns the filter pattern this codec consults before its default rule.
     *
     * @return the pattern given to {@link #withFilter}, or null for the default filter alone
     */
    public @Nullable String filterPattern() {
        return filterPattern;
    }

    /**
     * {@inheritDoc}
     *
     * @throws CodecException if the value is not of a fast-path type and not serializable: the
     *                        message names the value's class and the class that is not
     *                        {@code Serializable}
     */
    @Override
    public byte[] encode(@Nullable Object value) {
        return switch (value) {
            case null -> new byte[] {Tags.NULL};
            case byte[] bytes -> withTag(Tags.BYTES, bytes);
            case String string -> Strings.encode(string);
            case Integer i -> BigEndian.tagged(Tags.INT, i.intValue());
            case Long l -> BigEndian.tagged(Tags.LONG, l.longValue());
            case Double d -> BigEndian.tagged(Tags.DOUBLE, Double.doubleToRawLongBits(d));
            case Float f -> BigEndian.tagged(Tags.FLOAT, Float.floatToRawIntBits(f));
            case Short s -> BigEndian.tagged(Tags.SHORT, s.shortValue());
            case Character c -> BigEndian.tagged(Tags.CHAR, (short) c.charValue());
            case Byte b -> new byte[] {Tags.BYTE, b};
            case Boolean b -> new byte[] {b ? Tags.TRUE : Tags.FALSE};
            case ByteBuffer buffer -> encode(buffer);
            case Message message when ProtobufValues.isParsable(message) ->
                    ProtobufValues.encode(message);
            default -> {
                byte[] lambda = Lambdas.encode(value, this::encode);
                yield lambda != null ? lambda : JavaSerialization.encode(value);
            }
        };
    }

    /**
     * {@inheritDoc}
     *
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} are not within
     *                                   {@code data}
     */
    @Override
    public @Nullable Object decode(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length == 0) {
            throw new CodecException("cannot decode an empty input: an encoding has at least"
                    + " its tag byte");
        }
        byte tag = data[offset];
        int at = offset + 1;
        int n = length - 1;
        return switch (tag) {
            case Tags.NULL -> noPayload(tag, n, null);
            case Tags.BYTES -> Arrays.copyOfRange(data, at, at + n);
            case Tags.STRING -> new String(data, at, n, UTF_8);
            case Tags.STRING_UTF16 -> Strings.decodeUtf16(data, at, n);
            case Tags.INT -> BigEndian.getInt(data, payload(tag, Integer.BYTES, at, n));
            case Tags.LONG -> BigEndian.getLong(data, payload(tag, Long.BYTES, at, n));
            case Tags.DOUBLE -> Double.longBitsToDouble(
                    BigEndian.getLong(data, payload(tag, Double.BYTES, at, n)));
            case Tags.FLOAT -> Float.intBitsToFloat(
                    BigEndian.getInt(data, payload(tag, Float.BYTES, at, n)));
            case Tags.SHORT -> BigEndian.getShort(data, payload(tag, Short.BYTES, at, n));
            case Tags.CHAR -> (char) BigEndian.getShort(data, payload(tag, Character.BYTES, at, n));
            case Tags.BYTE -> data[payload(tag, Byte.BYTES, at, n)];
            case Tags.FALSE -> noPayload(tag, n, Boolean.FALSE);
            case Tags.TRUE -> noPayload(tag, n, Boolean.TRUE);
            case Tags.BYTE_BUFFER -> ByteBuffer.wrap(Arrays.copyOfRange(data, at, at + n));
            case Tags.PROTOBUF -> ProtobufValues.decode(data, at, n, filter);
            case Tags.JAVA -> JavaSerialization.decode(data, at, n, filter);
            case Tags.LAMBDA -> Lambdas.decode(data, at, n, filter, this::decode);
            default -> throw new CodecException(String.format("cannot decode: unknown tag %d"
                    + " (0x%02x) at offset %d; the bytes are not a DefaultCodec encoding, or come"
                    + " from a newer version", tag & 0xFF, tag & 0xFF, offset));
        };
    }

    /** Returns {@code at}, where a payload of exactly {@code width} bytes starts. */
    private static int payload(byte tag, int width, int at, int available) {
        if (available != width) {
            throw new CodecException("cannot decode " + Tags.name(tag) + ": expected " + width
                    + " bytes after the tag, got " + available
                    + (available > width ? " (trailing bytes)" : " (truncated)"));
        }
        return at;
    }

    /** Returns {@code value}, once the tag is known to have no payload. */
    private static @Nullable Object noPayload(byte tag, int available, @Nullable Object value) {
        payload(tag, 0, 0, available);
        return value;
    }

    private static byte[] encode(ByteBuffer buffer) {
        int remaining = buffer.remaining();
        byte[] out = new byte[1 + remaining];
        out[0] = Tags.BYTE_BUFFER;
        buffer.get(buffer.position(), out, 1, remaining);
        return out;
    }

    private static byte[] withTag(byte tag, byte[] payload) {
        byte[] out = new byte[1 + payload.length];
        out[0] = tag;
        System.arraycopy(payload, 0, out, 1, payload.length);
        return out;
    }

    /**
     * Rebuilds the filter, which is not serialized, from the pattern.
     *
     * @return an equal codec, ready for use
     */
    @Serial
    private Object readResolve() {
        return new DefaultCodec(filterPattern);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof DefaultCodec codec
                && Objects.equals(filterPattern, codec.filterPattern);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(filterPattern);
    }

    @Override
    public String toString() {
        return filterPattern == null ? "DefaultCodec" : "DefaultCodec[filter=" + filterPattern + "]";
    }
}
