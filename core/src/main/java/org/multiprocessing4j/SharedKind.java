package org.multiprocessing4j;

/**
 * The element types of {@link RawValue} and {@link RawArray}, and the Python type codes that
 * map to them.
 */
enum SharedKind {
    /** Java {@code int}: Python's {@code 'i'}. */
    INT('i', Integer.BYTES),
    /** Java {@code long}: Python's {@code 'l'} (a C long is 64 bits on Linux) and {@code 'q'}. */
    LONG('q', Long.BYTES),
    /** Java {@code double}: Python's {@code 'd'}, and {@code 'f'} (kept in double precision). */
    DOUBLE('d', Double.BYTES),
    /** Java {@code boolean}, stored as an int so that it can be compared and set atomically: {@code '?'}. */
    BOOLEAN('?', Integer.BYTES),
    /** Java {@code byte}: Python's {@code 'b'}, {@code 'B'} (read as signed) and {@code 'c'}; arrays only. */
    BYTE('b', Byte.BYTES);

    private final char typeCode;
    private final int bytes;

    SharedKind(char typeCode, int bytes) {
        this.typeCode = typeCode;
        this.bytes = bytes;
    }

    /** {@return the type code this kind reports} */
    char typeCode() {
        return typeCode;
    }

    /** {@return the bytes one element takes} */
    int bytes() {
        return bytes;
    }

    /**
     * {@return the kind of a {@code Value} of that code}
     *
     * @param typeCode a Python type code
     * @throws IllegalArgumentException if no Value has that code; the message lists those that do
     */
    static SharedKind forValue(char typeCode) {
        return switch (typeCode) {
            case 'i' -> INT;
            case 'l', 'q' -> LONG;
            case 'd', 'f' -> DOUBLE;
            case '?' -> BOOLEAN;
            default -> throw new IllegalArgumentException("no Value has type code '" + typeCode
                    + "': the codes are 'i' (int), 'l' and 'q' (long), 'd' and 'f' (double), '?' (boolean)");
        };
    }

    /**
     * {@return the kind of an {@code Array} of that code}
     *
     * @param typeCode a Python type code
     * @throws IllegalArgumentException if no Array has that code; the message lists those that do
     */
    static SharedKind forArray(char typeCode) {
        return switch (typeCode) {
            case 'i' -> INT;
            case 'l', 'q' -> LONG;
            case 'd', 'f' -> DOUBLE;
            case 'b', 'B', 'c' -> BYTE;
            default -> throw new IllegalArgumentException("no Array has type code '" + typeCode
                    + "': the codes are 'i' (int[]), 'l' and 'q' (long[]), 'd' and 'f' (double[]), 'b', 'B' and 'c' (byte[])");
        };
    }
}
