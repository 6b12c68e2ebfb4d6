package org.multiprocessing4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("random bytes for keys and nonces")
class SecureBytesTest {

    @Test
    @DisplayName("come in the number asked for, differ from call to call, and use every byte value")
    void random() {
        assertEquals(0, SecureBytes.of(0).length);
        Set<String> seen = new HashSet<>();
        boolean[] values = new boolean[256];
        for (int i = 0; i < 200; i++) {
            byte[] b = SecureBytes.of(32);
            assertEquals(32, b.length);
            assertTrue(seen.add(Arrays.toString(b)), "the same 32 bytes twice");
            for (byte x : b) {
                values[x & 0xff] = true;
            }
        }
        for (int v = 0; v < 256; v++) {
            assertTrue(values[v], "byte value " + v + " never came in 6400 bytes");
        }
        assertThrows(IllegalArgumentException.class, () -> SecureBytes.of(-1));
    }

    @Test
    @DisplayName("where the system's generator is missing, or gives too little, its bytes are not used")
    void fallback() {
        assertFalse(SecureBytes.fromSystem(new byte[8], "/nonexistent/urandom"));
        assertFalse(SecureBytes.fromSystem(new byte[8], "/dev/null"), "an empty device is not a generator");
        assertTrue(SecureBytes.fromSystem(new byte[8], "/dev/urandom"));
    }
}
