package org.multiprocessing4j.internal.codec;

/**
 * The first byte of every {@link org.multiprocessing4j.DefaultCodec} encoding, saying how the
 * rest (the payload) reads. Fixed-width payloads are big-endian; variable ones run to the end
 * of the encoding, so no length is stored.
 *
 * <pre>
 *  tag            payload
 *  NULL           (none)
 *  BYTES          the bytes
 *  STRING         UTF-8
 *  STRING_UTF16   UTF-16BE code units (a string with an unpaired surrogate, which UTF-8 cannot hold)
 *  INT / FLOAT    4 bytes (a float as its raw IEEE 754 bits)
 *  LONG / DOUBLE  8 bytes (a double as its raw IEEE 754 bits)
 *  SHORT / CHAR   2 bytes
 *  BYTE           1 byte
 *  FALSE / TRUE   (none)
 *  BYTE_BUFFER    the buffer's remaining bytes
 *  PROTOBUF       2-byte length N, N bytes of the class name in UTF-8, the message bytes
 *  JAVA           a Java serialization stream
 *  LAMBDA         a serializable lambda's parts and captured values ({@link Lambdas})
 * </pre>
 *
 * <p>Tags are never reused: a new fast path takes a new number.
 *
 * @since 0.1
 */
public final class Tags {
    /** {@code null}. */
    public static final byte NULL = 0;
    /** {@code byte[]}. */
    public static final byte BYTES = 1;
    /** {@code String} in UTF-8. */
    public static final byte STRING = 2;
    /** {@code String} in UTF-16BE. */
    public static final byte STRING_UTF16 = 3;
    /** {@code Integer}. */
    public static final byte INT = 4;
    /** {@code Long}. */
    public static final byte LONG = 5;
    /** {@code Double}. */
    public static final byte DOUBLE = 6;
    /** {@code Float}. */
    public static final byte FLOAT = 7;
    /** {@code Short}. */
    public static final byte SHORT = 8;
    /** {@code Byte}. */
    public static final byte BYTE = 9;
    /** {@code Character}. */
    public static final byte CHAR = 10;
    /** {@code Boolean.FALSE}. */
    public static final byte FALSE = 11;
    /** {@code Boolean.TRUE}. */
    public static final byte TRUE = 12;
    /** {@code java.nio.ByteBuffer}. */
    public static final byte BYTE_BUFFER = 13;
    /** {@code com.google.protobuf.Message}. */
    public static final byte PROTOBUF = 14;
    /** Anything else that is {@code Serializable}. */
    public static final byte JAVA = 15;
    /** A serializable lambda that captures only strings, boxes and nulls ({@link Lambdas}). */
    public static final byte LAMBDA = 16;

    private static final String[] NAMES = {
        "NULL", "BYTES", "STRING", "STRING_UTF16", "INT", "LONG", "DOUBLE", "FLOAT", "SHORT",
        "BYTE", "CHAR", "FALSE", "TRUE", "BYTE_BUFFER", "PROTOBUF", "JAVA", "LAMBDA",
    };

    private Tags() {}

    /**
     * Returns the name of a tag, for error messages.
     *
     * @param tag a tag byte, known or not
     * @return its name, or {@code "unknown"}
     */
    public static String name(byte tag) {
        return tag >= 0 && tag < NAMES.length ? NAMES[tag] : "unknown";
    }
}
