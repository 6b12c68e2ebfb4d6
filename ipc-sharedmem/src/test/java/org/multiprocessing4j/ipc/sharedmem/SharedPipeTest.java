package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.BrokenPipeException;
import org.multiprocessing4j.BufferTooShortException;
import org.multiprocessing4j.spi.ConnectionBackend;

@DisplayName("the shared-memory pipe's ends, within one process")
class SharedPipeTest {
    private static Object copy(Object o) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    @Test
    @DisplayName("the two ends of a pipe are not equal; a copy of an end equals it")
    void identity() throws Exception {
        SharedPipe pipe = SharedPipe.open();
        assertNotEquals(pipe.first(), pipe.second());
        assertEquals(pipe.first(), copy(pipe.first()));
        assertEquals(pipe.first().hashCode(), copy(pipe.first()).hashCode());
        assertEquals(pipe.second(), copy(pipe.second()));
    }

    @Test
    @DisplayName("a holder table full of processes that died without closing takes a new holder in a dead one's place")
    void deadHoldersMakeRoom() throws Exception {
        SharedPipe pipe = SharedPipe.open();
        SharedConnection end = (SharedConnection) pipe.second();
        try {
            java.lang.foreign.MemorySegment m = end.memory();
            long me = ProcessIdentity.current();
            // pids above Linux's largest (2^22) name no process: every one of these is dead
            for (int i = 0; i < PipeDescriptor.HOLDERS; i++) {
                Words.setLong(m, PipeDescriptor.holder(1, i), (1L << 32) | ((1 << 30) + i));
            }
            end.attach();
            boolean recorded = false;
            for (int i = 0; i < PipeDescriptor.HOLDERS; i++) {
                recorded |= Words.getLong(m, PipeDescriptor.holder(1, i)) == me;
            }
            assertTrue(recorded, "this process was not recorded as a holder of the end");
        } finally {
            pipe.first().close();
            end.close();
        }
    }

    @Test
    @DisplayName("pipes used, closed and dropped keep no mapping here: each ring is unmapped once unreachable (32,000 crashed the JVM)")
    void closedPipesAreUnmapped() throws Exception {
        java.util.List<String> rings = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rings.addAll(useAndClose());
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (mappedHere(rings) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        org.junit.jupiter.api.Assertions.assertFalse(mappedHere(rings), "the rings of closed pipes are still mapped in this process");
    }

    private static java.util.List<String> useAndClose() throws Exception {
        SharedPipe pipe = SharedPipe.open();
        ConnectionBackend a = pipe.first();
        ConnectionBackend b = pipe.second();
        a.send(new byte[] {1});
        assertArrayEquals(new byte[] {1}, b.recv());
        a.close();
        b.close();
        return ((SharedConnection) a).ringSegments();
    }

    private static boolean mappedHere(java.util.List<String> segments) throws Exception {
        String maps = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/maps"));
        return segments.stream().anyMatch(maps::contains);
    }

    @Test
    @DisplayName("messages cross both ways; closing one end gives the other EOF after draining, and a send to it fails")
    void closeGivesEof() throws Exception {
        SharedPipe pipe = SharedPipe.open();
        ConnectionBackend a = pipe.first();
        ConnectionBackend b = pipe.second();
        a.send(new byte[] {1});
        b.send(new byte[300]);
        assertArrayEquals(new byte[] {1}, b.recv());
        assertTrue(a.poll(0));
        b.send(new byte[] {2});
        b.close();
        assertArrayEquals(new byte[300], a.recv());
        assertArrayEquals(new byte[] {2}, a.recv());
        assertTrue(a.poll(0), "end of file is not ready for poll");
        assertThrows(EOFException.class, a::recv);
        assertThrows(BrokenPipeException.class, () -> a.send(new byte[] {3}));
        a.close();
    }

    @Test
    @DisplayName("a receive into an array puts the message at the offset, carries one that does not fit, and gives EOF once the other end closed")
    void recvInto() throws Exception {
        SharedPipe pipe = SharedPipe.open();
        ConnectionBackend a = pipe.first();
        ConnectionBackend b = pipe.second();
        b.send(new byte[] {1, 2, 3});
        b.send(new byte[5000]);
        b.close();
        byte[] buf = new byte[10];
        assertEquals(3, a.recv(buf, 7));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 2, 3}, buf);
        BufferTooShortException tooShort = assertThrows(BufferTooShortException.class, () -> a.recv(buf, 0));
        assertEquals(5000, tooShort.message().length);
        assertThrows(EOFException.class, () -> a.recv(buf, 0));
        a.close();
    }

    @Test
    @DisplayName("closing an end whose queues' files are already gone (both ends closed elsewhere meanwhile) is quiet")
    void closeAfterTheFilesWent() throws Exception {
        SharedPipe pipe = SharedPipe.open();
        ConnectionBackend a = pipe.first();
        ConnectionBackend b = pipe.second();
        // Another process's handle to the second end, which has not touched its queues yet (a
        // manager's server that sent on its end, then closed it while its starter closed the
        // other end: the starter's close, the last, unlinked the queues' files first).
        ConnectionBackend later = (ConnectionBackend) copy(b);
        a.send(new byte[] {1});
        assertArrayEquals(new byte[] {1}, b.recv());
        a.close();
        b.close();
        later.close();
        later.close();
    }

    @Test
    @DisplayName("a handle whose segment was removed while its creator lives says so, not that the creator ended")
    void removedWhileTheCreatorLives() throws Exception {
        SharedQueue queue = SharedQueue.createSolo(4);
        SharedQueue elsewhere = (SharedQueue) copy(queue); // not mapped yet, as in another process
        Payload.unlinkQuietly(queue.block.segment());
        org.multiprocessing4j.ProcessGoneException gone = assertThrows(org.multiprocessing4j.ProcessGoneException.class,
                () -> elsewhere.put(new byte[] {1}, 0));
        assertTrue(gone.getMessage().contains("removed while its owner"), gone.getMessage());
        assertTrue(gone.getMessage().contains("lives"), gone.getMessage());
    }

    @Test
    @DisplayName("a range of an array is sent as itself, inline and through a side buffer, and the array is free to reuse at once")
    void sendsRange() throws Exception {
        SharedPipe pipe = SharedPipe.open();
        ConnectionBackend a = pipe.first();
        ConnectionBackend b = pipe.second();
        for (int size : new int[] {0, 8, 5_000}) {
            byte[] buf = new byte[size + 7];
            for (int i = 0; i < buf.length; i++) {
                buf[i] = (byte) i;
            }
            a.send(buf, 3, size);
            byte[] sent = java.util.Arrays.copyOfRange(buf, 3, 3 + size);
            java.util.Arrays.fill(buf, (byte) -1);
            assertArrayEquals(sent, b.recv(), "size " + size);
        }
        a.close();
        b.close();
    }
}
