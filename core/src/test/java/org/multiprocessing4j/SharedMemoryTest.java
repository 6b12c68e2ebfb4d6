package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SharedMemory: named segments in /dev/shm, mapped, attachable by name")
class SharedMemoryTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final List<SharedMemory> made = new ArrayList<>();
    private ShmFiles shm;

    @BeforeEach
    void snapshot() {
        shm = ShmFiles.snapshot();
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (SharedMemory s : made) {
            s.close();
            if (Files.exists(ShmFiles.directory().resolve(s.name()))) {
                s.unlink();
            }
        }
        shm.assertNothingAddedBut(ShmFiles.ownTrackingFile());
    }

    private SharedMemory track(SharedMemory s) {
        made.add(s);
        return s;
    }

    private static String uniqueName() {
        return "test-" + UUID.randomUUID();
    }

    @Test
    @DisplayName("create(size) makes a zeroed segment of exactly that size, with a generated name, mode 0600")
    void createGenerated() throws IOException {
        SharedMemory s = track(SharedMemory.create(1000));
        assertEquals(1000, s.size());
        assertEquals(1000, s.segment().byteSize());
        assertTrue(s.name().startsWith("mp4j-" + ProcessHandle.current().pid() + "-"), s.name());
        assertEquals(-1, s.segment().mismatch(MemorySegment.ofArray(new byte[1000])));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ShmFiles.directory().resolve(s.name()))));
    }

    @Test
    @DisplayName("what one mapping writes, an attached mapping reads; the buffer view sees it too")
    void attachSeesWrites() throws IOException {
        String name = uniqueName();
        SharedMemory a = track(SharedMemory.create(name, 64));
        try (SharedMemory b = SharedMemory.attach(name)) {
            assertEquals(64, b.size());
            a.segment().set(ValueLayout.JAVA_LONG, 8, 0x1234_5678_9abcL);
            assertEquals(0x1234_5678_9abcL, b.segment().get(ValueLayout.JAVA_LONG, 8));
            ByteBuffer buf = b.buffer();
            assertEquals(64, buf.limit());
            buf.put(0, (byte) 7);
            assertEquals(7, a.segment().get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(a, b);
        }
    }

    @Test
    @DisplayName("create of an existing name fails with FileAlreadyExistsException naming it")
    void createExisting() throws IOException {
        String name = uniqueName();
        track(SharedMemory.create(name, 16));
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> SharedMemory.create(name, 16));
        assertTrue(e.getMessage().contains("'" + name + "' exists already"), e.getMessage());
    }

    @Test
    @DisplayName("attach of a missing name fails with NoSuchFileException naming it")
    void attachMissing() {
        String name = uniqueName();
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SharedMemory.attach(name));
        assertTrue(e.getMessage().contains("no shared memory named '" + name + "'"), e.getMessage());
    }

    @Test
    @DisplayName("bad names and sizes fail with IllegalArgumentException saying what is wrong")
    void badNamesAndSizes() {
        assertMessage(() -> SharedMemory.create("a/b", 1), "is not allowed");
        assertMessage(() -> SharedMemory.create("/psm_1", 1), "is not allowed");
        assertMessage(() -> SharedMemory.create(".hidden", 1), "is not allowed");
        assertMessage(() -> SharedMemory.create("", 1), "names have 1 to 128");
        assertMessage(() -> SharedMemory.create("x".repeat(129), 1), "has 129 characters");
        assertMessage(() -> SharedMemory.create("mp4j-mine", 1), "reserved for generated names");
        assertMessage(() -> SharedMemory.attach("mp4j-1.segments"), "is not a generated name");
        assertMessage(() -> SharedMemory.create(uniqueName(), 0), "must be positive, not 0");
        assertMessage(() -> SharedMemory.create(-5), "must be positive, not -5");
    }

    @Test
    @DisplayName("a size larger than the free space fails before anything is made")
    void tooLarge() {
        IOException e = assertThrows(IOException.class, () -> SharedMemory.create(Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("bytes free"), e.getMessage());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    @DisplayName("after close, every use fails with IllegalStateException, views included; close twice is fine")
    void closeThenUse() throws IOException {
        SharedMemory s = track(SharedMemory.create(128));
        MemorySegment view = s.segment();
        ByteBuffer buf = s.buffer();
        s.close();
        s.close();
        assertTrue(s.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, s::segment);
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, s::buffer);
        assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_INT, 0));
        assertThrows(IllegalStateException.class, () -> buf.get(0));
        s.unlink();
        assertFalse(Files.exists(ShmFiles.directory().resolve(s.name())));
    }

    @Test
    @DisplayName("closing while other threads write makes them fail cleanly, never crash")
    void closeWhileInUse() throws Exception {
        SharedMemory s = track(SharedMemory.create(1 << 16));
        MemorySegment view = s.segment();
        CountDownLatch running = new CountDownLatch(4);
        List<Thread> writers = new ArrayList<>();
        List<Throwable> endings = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            writers.add(Thread.ofPlatform().start(() -> {
                running.countDown();
                try {
                    for (long i = 0; ; i++) {
                        view.fill((byte) i);
                    }
                } catch (Throwable end) {
                    endings.add(end);
                }
            }));
        }
        running.await();
        s.close();
        for (Thread w : writers) {
            w.join(PATIENCE);
            assertFalse(w.isAlive());
        }
        assertEquals(4, endings.size());
        endings.forEach(e -> assertEquals(IllegalStateException.class, e.getClass(), e.toString()));
    }

    @Test
    @DisplayName("unlink removes the name: a second unlink and a later attach fail; the mapping stays usable")
    void unlink() throws IOException {
        String name = uniqueName();
        SharedMemory s = track(SharedMemory.create(name, 8));
        s.unlink();
        assertThrows(NoSuchFileException.class, s::unlink);
        assertThrows(NoSuchFileException.class, () -> SharedMemory.attach(name));
        s.segment().set(ValueLayout.JAVA_INT, 0, 5);
        assertEquals(5, s.segment().get(ValueLayout.JAVA_INT, 0));
    }

    @Test
    @DisplayName("a child attaches by name and writes; the parent reads it")
    void childWritesByName() throws Exception {
        String name = uniqueName();
        SharedMemory s = track(SharedMemory.create(name, 64));
        Process p = new Process(() -> {
            try (SharedMemory mine = SharedMemory.attach(name)) {
                mine.segment().setString(0, "written by " + Multiprocessing.currentProcess().name());
            }
        });
        p.start();
        assertTrue(p.join(PATIENCE));
        assertEquals(0, p.exitCode());
        assertEquals("written by " + p.name(), s.segment().getString(0));
    }

    @Test
    @DisplayName("a SharedMemory captured by a target attaches in the child, which may close its own mapping")
    void capturedByTarget() throws Exception {
        SharedMemory s = track(SharedMemory.create(16));
        Process p = new Process(() -> {
            s.buffer().put(0, "hi".getBytes(StandardCharsets.US_ASCII));
            s.close();
        });
        p.start();
        assertTrue(p.join(PATIENCE));
        assertEquals(0, p.exitCode());
        assertFalse(s.isClosed());
        byte[] got = new byte[2];
        s.buffer().get(0, got);
        assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), got);
        assertNotEquals(0, s.size());
    }

    @Test
    @DisplayName("a SharedMemory sent through a queue attaches in the receiver")
    void throughQueue() throws Exception {
        SharedMemory s = track(SharedMemory.create(8));
        s.segment().set(ValueLayout.JAVA_INT, 0, 99);
        Queue<SharedMemory> q = new Queue<>();
        Queue<Integer> answers = new Queue<>();
        Process p = new Process(() -> {
            try (SharedMemory got = q.get()) {
                answers.put(got.segment().get(ValueLayout.JAVA_INT, 0));
            }
        });
        p.start();
        q.put(s);
        assertEquals(99, answers.get());
        assertTrue(p.join(PATIENCE));
    }
}
