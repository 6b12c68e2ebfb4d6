package org.multiprocessing4j;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * Turns values into bytes that cross to another process and back.
 *
 * <p>A codec travels to every child process (Java-serialized, in the bootstrap frame), so an
 * implementation is {@link Serializable} and carries its own configuration. Implementations
 * are safe for use by several threads at once.
 *
 * <p>Errors: a value that cannot be encoded fails in the sender with a {@link CodecException}
 * that names its class; bytes that cannot be decoded (corrupt, or a class refused by a
 * deserialization filter) fail with a {@link CodecException} that names the class or the
 * problem, never with a bare {@code ClassCastException} later.
 *
 * @see DefaultCodec
 * @since 0.1
 */
public interface Codec extends Serializable {

    /**
     * Encodes a value.
     *
     * @param value the value, may be null
     * @return the encoded bytes, never null; the caller owns the array
     * @throws CodecException if the value (or anything it refers to) cannot be encoded
     */
    byte[] encode(@Nullable Object value);

    /**
     * Decodes {@code length} bytes of {@code data} from {@code offset}.
     *
     * @param data   the bytes, not modified
     * @param offset where the encoded value starts
     * @param length how many bytes it has
     * @return the value, may be null
     * @throws CodecException if the bytes are not a valid encoding, or name a refused class
     */
    @Nullable Object decode(byte[] data, int offset, int length);

    /**
     * Decodes a whole array.
     *
     * @param data the bytes, not modified
     * @return the value, may be null
     * @throws CodecException if the bytes are not a valid encoding, or name a refused class
     */
    default @Nullable Object decode(byte[] data) {
        return decode(data, 0, data.length);
    }
}
