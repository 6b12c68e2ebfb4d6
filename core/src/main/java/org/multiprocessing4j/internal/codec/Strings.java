package org.multiprocessing4j.internal.codec;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.multiprocessing4j.CodecException;

/**
 * The string fast path. UTF-8 when the string is well-formed UTF-16; UTF-16BE code units when
 * it holds an unpaired surrogate, which UTF-8 cannot represent and {@link String#getBytes}
 * would silently turn into {@code '?'}.
 *
 * @since 0.1
 */
public final class Strings {
    private Strings() {}

    /**
     * Encodes a string with its tag.
     *
     * @param string the string
     * @return its tagged encoding
     */
    public static byte[] encode(String string) {
        if (hasUnpairedSurrogate(string)) {
            return utf16(string);
        }
        byte[] utf8 = string.getBytes(UTF_8);
        byte[] out = new byte[1 + utf8.length];
        out[0] = Tags.STRING;
        System.arraycopy(utf8, 0, out, 1, utf8.length);
        return out;
    }

    /**
     * Decodes a {@link Tags#STRING_UTF16} payload.
     *
     * @param data   the bytes
     * @param offset where the payload starts
     * @param length its length
     * @return the string
     * @throws CodecException if the length is odd
     */
    public static String decodeUtf16(byte[] data, int offset, int length) {
        if ((length & 1) != 0) {
            throw new CodecException("cannot decode a STRING_UTF16: its payload must have an even"
                    + " number of bytes, got " + length);
        }
        char[] chars = new char[length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) BigEndian.getShort(data, offset + 2 * i);
        }
        return new String(chars);
    }

    private static byte[] utf16(String string) {
        byte[] out = new byte[1 + 2 * string.length()];
        out[0] = Tags.STRING_UTF16;
        for (int i = 0; i < string.length(); i++) {
            BigEndian.putShort(out, 1 + 2 * i, (short) string.charAt(i));
        }
        return out;
    }

    private static boolean hasUnpairedSurrogate(String string) {
        int length = string.length();
        for (int i = 0; i < length; i++) {
            char c = string.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length
                        && Character.isLowSurrogate(string.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }
}
