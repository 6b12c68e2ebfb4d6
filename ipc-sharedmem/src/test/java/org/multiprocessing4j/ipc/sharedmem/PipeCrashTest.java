package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.BrokenPipeException;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;

@DisplayName("crashes: a pipe's peer killed in full traffic gives end of file or a broken pipe, never a hang")
class PipeCrashTest extends ChildProcessTest {
    /** Message {@code i}: its number, then filler; sizes cycle through the slot, the side buffers and beyond. */
    static byte[] message(int i) {
        int[] sizes = {8, 1_000, 10_000, 100_000, 1_100_000};
        byte[] b = new byte[sizes[i % sizes.length]];
        Arrays.fill(b, (byte) i);
        ByteBuffer.wrap(b).putInt(0, i);
        return b;
    }

    static void sendForever(Connection c) {
        for (int i = 0; ; i++) {
            c.sendBytes(message(i));
        }
    }

    static void readOneThenHang(Connection c) throws Exception {
        c.recvBytes();
        Thread.sleep(600_000);
    }

    @Test
    @DisplayName("a sender killed mid-stream: the reader gets whole messages in order, then EOFException")
    void senderKilled() throws Exception {
        java.util.Set<String> before = SharedQueueTest.treeFiles();
        Pipe.Ends pipe = Pipe.open(false);
        Connection w = pipe.second();
        Process sender = start(() -> sendForever(w));
        Connection r = pipe.first();
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(message(i), r.recvBytes());
        }
        sender.kill();
        assertTrue(sender.join(PATIENCE));
        int next = 50;
        while (true) {
            byte[] got;
            try {
                got = r.recvBytes();
            } catch (EOFException e) {
                break;
            }
            assertArrayEquals(message(next), got, "message " + next + " torn or out of order");
            next++;
        }
        assertTrue(r.poll(), "end of file is not ready for poll");
        r.close();
        w.close();
        assertTrue(SharedQueueTest.added(before).size() <= 1, "the pipe's files stayed after both ends closed (a dead sender's"
                + " side segment at most may wait for the root's exit)");
    }

    @Test
    @DisplayName("a reader killed while the sender waits for room: the sender gets BrokenPipeException, and EOF")
    void readerKilled() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        Connection readerEnd = pipe.second();
        Process reader = start(() -> readOneThenHang(readerEnd));
        pipe.second().close();
        Connection w = pipe.first();
        w.sendBytes(message(0));
        reader.kill();
        assertTrue(reader.join(PATIENCE));
        byte[] small = new byte[8];
        BrokenPipeException e = assertThrows(BrokenPipeException.class, () -> {
            for (int i = 0; i <= PipeDescriptor.CAPACITY; i++) {
                w.sendBytes(small);
            }
        });
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertTrue(w.poll(), "end of file at the sender's end (its peer is dead) is not ready for poll");
        assertThrows(EOFException.class, w::recv);
    }
}
