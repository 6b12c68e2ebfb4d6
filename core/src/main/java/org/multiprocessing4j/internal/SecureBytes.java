package org.multiprocessing4j.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.security.SecureRandom;

/**
 * Random bytes for keys and nonces, from the operating system's generator ({@code /dev/urandom},
 * the source {@code SecureRandom}'s default {@code NativePRNG} reads too) where there is one,
 * else from a {@link SecureRandom}. Why not always the latter: making the first
 * {@code SecureRandom} of a JVM starts the security providers, 20–25 ms of a cold JVM (measured
 * here), which every program paid on its first queue or process for its 32-byte authentication
 * key. (A connection's handshake starts them anyway, for its HMAC.)
 */
public final class SecureBytes {
    private static final String URANDOM = "/dev/urandom";

    private SecureBytes() {
    }

    /**
     * {@return {@code n} random bytes}
     *
     * @param n how many
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public static byte[] of(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("a negative number of random bytes: " + n);
        }
        byte[] bytes = new byte[n];
        fill(bytes);
        return bytes;
    }

    /**
     * Fills {@code bytes} with random bytes.
     *
     * @param bytes the array to fill
     */
    public static void fill(byte[] bytes) {
        if (!fromSystem(bytes, URANDOM)) {
            Fallback.RANDOM.nextBytes(bytes);
        }
    }

    /**
     * {@return whether {@code bytes} were filled from the device at {@code path}}, read whole;
     * false where it is missing or short, and then nothing is promised about {@code bytes}
     *
     * @param bytes the array to fill
     * @param path  the device
     */
    static boolean fromSystem(byte[] bytes, String path) {
        try (FileInputStream in = new FileInputStream(path)) {
            return in.readNBytes(bytes, 0, bytes.length) == bytes.length;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Made only where the system has no generator to read. */
    private static final class Fallback {
        static final SecureRandom RANDOM = new SecureRandom();

        private Fallback() {
        }
    }
}
