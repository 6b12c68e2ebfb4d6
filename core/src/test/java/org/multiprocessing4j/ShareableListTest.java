package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ShareableList: a fixed list of numbers, strings, bytes and nulls in one segment")
class ShareableListTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final List<ShareableList> made = new ArrayList<>();
    private ShmFiles shm;

    @BeforeEach
    void snapshot() {
        shm = ShmFiles.snapshot();
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (ShareableList l : made) {
            l.close();
            l.unlink();
        }
        shm.assertNothingAddedBut(ShmFiles.ownTrackingFile());
    }

    private ShareableList track(ShareableList l) {
        made.add(l);
        return l;
    }

    @Test
    @DisplayName("items come back as stored: ints as longs, floats as doubles; count and index like Python")
    void roundTrip() throws IOException {
        byte[] raw = {1, 2, 3};
        ShareableList l = track(ShareableList.create(Arrays.asList("howdy", 42, 3.5f, true, null, raw, -7L, "")));
        assertEquals(8, l.size());
        assertEquals("howdy", l.get(0));
        assertEquals(42L, l.get(1));
        assertEquals(3.5, l.get(2));
        assertEquals(true, l.get(3));
        assertNull(l.get(4));
        assertArrayEquals(raw, (byte[]) l.get(5));
        assertEquals(-7L, l.get(6));
        assertEquals("", l.get(7));
        assertEquals(1, l.count(42));
        assertEquals(1, l.count(new byte[] {1, 2, 3}));
        assertEquals(2, l.index(3.5f));
        assertEquals(4, l.index(null));
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> l.index("absent"));
        assertTrue(e.getMessage().contains("'absent' is not in ShareableList"), e.getMessage());
        // Python's ==: 42 == 42.0, True == 1, and NaN equals nothing, not even itself
        assertEquals(1, l.index(42.0));
        assertEquals(3, l.index(1));
        assertEquals(2, l.count(true) + l.count(1L));
        l.set(2, Double.NaN);
        assertEquals(0, l.count(Double.NaN));
        assertThrows(NoSuchElementException.class, () -> l.index(Double.NaN));
    }

    @Test
    @DisplayName("a slot takes any item that fits its room; one that does not names slot and sizes")
    void slotsHaveFixedRoom() throws IOException {
        ShareableList l = track(ShareableList.create(List.of("abc", 1L)));
        l.set(0, "12345678");
        assertEquals("12345678", l.get(0));
        l.set(0, 99L);
        assertEquals(99L, l.get(0));
        l.set(1, "short");
        assertEquals("short", l.get(1));
        l.set(1, null);
        assertNull(l.get(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.set(0, "123456789"));
        assertTrue(e.getMessage().contains("slot 0 of ShareableList '" + l.name() + "' holds at most 8 bytes; the string (UTF-8) needs 9"),
                e.getMessage());
        assertEquals(99L, l.get(0), "a refused set changes nothing");
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> l.set(1, new Object()));
        assertTrue(type.getMessage().contains("java.lang.Object"), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> l.set(0, "\ud800"));
        IndexOutOfBoundsException index = assertThrows(IndexOutOfBoundsException.class, () -> l.get(2));
        assertTrue(index.getMessage().contains("length 2"), index.getMessage());
    }

    @Test
    @DisplayName("attach by name sees the same items; a segment that is no list is refused; closed lists fail clearly")
    void attachAndClose() throws IOException {
        String name = "list-" + UUID.randomUUID();
        ShareableList l = track(ShareableList.create(name, List.of("a", 2L)));
        try (ShareableList other = ShareableList.attach(name)) {
            other.set(1, 3L);
            assertEquals(3L, l.get(1));
        }
        try (SharedMemory plain = SharedMemory.create(64)) {
            plain.segment().set(ValueLayout.JAVA_INT, 0, 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ShareableList.attach(plain.name()));
            assertTrue(e.getMessage().contains("is not a ShareableList"), e.getMessage());
            plain.unlink();
        }
        l.close();
        assertThrows(IllegalStateException.class, () -> l.get(0));
        assertTrue(l.toString().contains("closed"));
    }

    @Test
    @DisplayName("a list captured by a child is attached there; what the child sets, the parent reads")
    void acrossProcesses() throws Exception {
        ShareableList l = track(ShareableList.create(List.of(".".repeat(16), 0L, new byte[4])));
        Process p = new Process(() -> {
            l.set(0, Multiprocessing.currentProcess().name());
            l.set(1, ((Long) l.get(1)) + 41);
            l.set(2, "abcd".getBytes(StandardCharsets.US_ASCII));
        });
        p.start();
        assertTrue(p.join(PATIENCE));
        assertEquals(0, p.exitCode());
        assertEquals(p.name(), l.get(0));
        assertEquals(41L, l.get(1));
        assertArrayEquals("abcd".getBytes(StandardCharsets.US_ASCII), (byte[]) l.get(2));
    }

    @Test
    @DisplayName("readers never see a torn item while writers in other threads replace it")
    void noTornReads() throws Exception {
        ShareableList l = track(ShareableList.create(List.of("aaaaaaaaaaaaaaaa")));
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 20_000; i++) {
                l.set(0, i % 2 == 0 ? "bbbbbbbbbbbbbbbb" : "cc");
            }
        });
        while (writer.isAlive()) {
            String s = (String) l.get(0);
            if (!s.equals("aaaaaaaaaaaaaaaa") && !s.equals("bbbbbbbbbbbbbbbb") && !s.equals("cc")) {
                seen.add(s);
            }
        }
        writer.join();
        assertEquals(List.of(), seen);
    }
}
