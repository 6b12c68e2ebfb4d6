package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.BrokenPipeException;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.BufferTooShortException;
import org.multiprocessing4j.CodecException;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;

/** {@link Pipe} and {@link Connection} between processes, and {@link Connection#wait}. */
public abstract class PipeKit extends TransportKit {
    private static final int MANY = 2000;

    /** For a transport's test class, which supplies {@link #context()}. */
    protected PipeKit() {
    }

    static void echoTwice(Connection c) throws Exception {
        Object first = c.recv();
        c.send("echo:" + first);
        c.send(c.recv());
    }

    static void sendMixed(Connection c) {
        c.send("text");
        c.send(42);
        c.send(null);
        c.send(new byte[] {1, 2, 3});
        c.send(List.of(1, "two", 3.0));
        c.send(Long.MAX_VALUE);
    }

    static void sendBytesVariety(Connection c) {
        c.sendBytes(new byte[] {9, 8, 7, 6, 5}, 1, 3);
        c.sendBytes(new byte[] {1, 2, 3, 4});
        c.sendBytes(new byte[100]);
        c.sendBytes(new byte[] {42, 43});
        c.sendBytes(new byte[0]);
    }

    /** {@return {@code length} bytes that differ from their neighbours, so that a shifted copy shows} */
    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    static void sendLarge(Connection c) {
        c.sendBytes(pattern(100_000, 1));
        c.sendBytes(pattern(3 << 20, 2));
        c.sendBytes(pattern(200_000, 3));
        c.sendBytes(new byte[] {7});
    }

    static void writeOnlyChild(Connection w) {
        try {
            w.recv();
            System.out.println("child recv on write-only: no error");
        } catch (IllegalStateException e) {
            System.out.println("child recv on write-only: " + e.getMessage());
        } catch (Exception e) {
            System.out.println("child recv on write-only: " + e);
        }
        w.send("from the write-only end");
    }

    static void sendAfterGo(Connection c) throws Exception {
        c.recv();
        c.send("late");
    }

    static void sendTwoThenCloseAndLinger(Connection c) throws InterruptedException {
        c.send(1);
        c.send(2);
        c.close();
        System.out.println("child closed its end");
        Thread.sleep(600_000);
    }

    static void closeAfterGo(Connection c) throws Exception {
        c.recv();
        Thread.sleep(200);
        c.close();
        Thread.sleep(600_000);
    }

    static void sendThenHang(Connection c) throws InterruptedException {
        c.send("hello");
        Thread.sleep(600_000);
    }

    static void goThenSendOnOther(Connection go, Connection out) throws Exception {
        go.recv();
        out.send("x");
        Thread.sleep(600_000);
    }

    static void exitNow() {
        System.out.println("sentinel child ran");
    }

    static void sendMany(Connection c) {
        for (int i = 0; i < MANY; i++) {
            c.send(i);
        }
    }

    /** Messages of {@link #FLOOD_SIZE} bytes a child sends faster than its reader takes them. */
    static final int FLOOD = 48;
    static final int FLOOD_SIZE = 256 << 10;

    static void flood(Connection c) {
        for (int i = 0; i < FLOOD; i++) {
            c.sendBytes(pattern(FLOOD_SIZE, i));
        }
        c.close();
    }

    static void startGrandchild(Connection c) throws InterruptedException {
        Process grandchild = new Process(() -> fromGrandchild(c));
        grandchild.start();
        c.close();
        grandchild.join();
    }

    static void fromGrandchild(Connection c) {
        c.send("from " + org.multiprocessing4j.Multiprocessing.currentProcess().name());
    }

    @Test
    @DisplayName("a duplex pipe carries messages both ways between processes")
    void duplexBothWays() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        Connection child = pipe.second();
        start(() -> echoTwice(child));
        pipe.first().send("ping");
        assertEquals("echo:ping", recvWithin(pipe.first()));
        pipe.first().send(7);
        assertEquals(7, recvWithin(pipe.first()));
    }

    @Test
    @DisplayName("a one-way pipe refuses the wrong direction on both ends, in both processes")
    void oneWay() throws Exception {
        Pipe.Ends pipe = Pipe.open(false);
        Connection r = pipe.first();
        Connection w = pipe.second();
        assertTrue(r.readable());
        assertFalse(r.writable());
        assertFalse(w.readable());
        assertTrue(w.writable());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.send("x"));
        assertEquals("connection is read-only", e.getMessage());
        e = assertThrows(IllegalStateException.class, w::recv);
        assertEquals("connection is write-only", e.getMessage());
        assertThrows(IllegalStateException.class, w::poll);
        run(() -> writeOnlyChild(w));
        assertTrue(out().contains("child recv on write-only: connection is write-only"), out());
        assertEquals("from the write-only end", recvWithin(r));
    }

    @Test
    @DisplayName("values of mixed types, null and byte[] included, arrive equal and in order")
    void mixedValues() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        Connection child = pipe.second();
        start(() -> sendMixed(child));
        Connection c = pipe.first();
        assertEquals("text", recvWithin(c));
        assertEquals(42, recvWithin(c));
        assertNull(recvWithin(c));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) recvWithin(c));
        assertEquals(List.of(1, "two", 3.0), recvWithin(c));
        assertEquals(Long.MAX_VALUE, recvWithin(c));
    }

    @Test
    @DisplayName("sendBytes and recvBytes move raw messages; a message that does not fit is BufferTooShort")
    void rawBytes() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        Connection child = pipe.second();
        start(() -> sendBytesVariety(child));
        Connection c = pipe.first();
        assertTrue(c.poll(PATIENCE));
        assertArrayEquals(new byte[] {8, 7, 6}, c.recvBytes());
        byte[] buf = new byte[8];
        assertTrue(c.poll(PATIENCE));
        assertEquals(4, c.recvBytesInto(buf, 2));
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 4, 0, 0}, buf);
        assertTrue(c.poll(PATIENCE));
        BufferTooShortException tooShort = assertThrows(BufferTooShortException.class, () -> c.recvBytesInto(buf, 0));
        assertEquals(100, tooShort.message().length);
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 4, 0, 0}, buf, "a message that does not fit wrote into buf");
        assertTrue(c.poll(PATIENCE));
        tooShort = assertThrows(BufferTooShortException.class, () -> c.recvBytes(1));
        assertArrayEquals(new byte[] {42, 43}, tooShort.message());
        assertTrue(c.poll(PATIENCE));
        assertArrayEquals(new byte[0], c.recvBytes(0));
    }

    @Test
    @DisplayName("recvBytesInto takes large messages into the array at an offset; one that does not fit is carried whole, and the next arrives")
    void largeIntoBuffer() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        Connection child = pipe.second();
        start(() -> sendLarge(child));
        Connection c = pipe.first();
        byte[] buf = new byte[(3 << 20) + 10];
        assertTrue(c.poll(PATIENCE));
        assertEquals(100_000, c.recvBytesInto(buf, 10));
        assertArrayEquals(pattern(100_000, 1), Arrays.copyOfRange(buf, 10, 100_010));
        assertEquals(0, buf[9], "written before the offset");
        assertEquals(0, buf[100_010], "written after the message");
        assertTrue(c.poll(PATIENCE));
        assertEquals(3 << 20, c.recvBytesInto(buf, 10), "a message that exactly fits");
        assertArrayEquals(pattern(3 << 20, 2), Arrays.copyOfRange(buf, 10, buf.length));
        byte[] before = buf.clone();
        assertTrue(c.poll(PATIENCE));
        BufferTooShortException tooShort =
                assertThrows(BufferTooShortException.class, () -> c.recvBytesInto(buf, buf.length - 100_000));
        assertArrayEquals(pattern(200_000, 3), tooShort.message());
        assertTrue(tooShort.getMessage().contains("200000 bytes"), tooShort.getMessage());
        assertArrayEquals(before, buf, "a message that does not fit wrote into buf");
        assertTrue(c.poll(PATIENCE));
        assertEquals(1, c.recvBytesInto(buf, buf.length - 1));
        assertEquals(7, buf[buf.length - 1]);
    }

    @Test
    @DisplayName("poll(timeout) is false while nothing is sent and true once a message is there")
    void pollWithTimeout() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        Connection c = pipe.first();
        Connection child = pipe.second();
        start(() -> sendAfterGo(child));
        assertFalse(c.poll(Duration.ofMillis(200)));
        assertFalse(c.poll());
        c.send("go");
        assertTrue(c.poll(PATIENCE));
        assertTrue(c.poll(), "poll consumed the message");
        assertEquals("late", c.recv());
    }

    @Test
    @DisplayName("recv after the peer closed its end drains what was sent, then throws EOFException")
    void eofAfterPeerClose() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        Connection child = pipe.second();
        start(() -> sendTwoThenCloseAndLinger(child));
        pipe.second().close();
        awaitOut("child closed its end");
        Connection c = pipe.first();
        assertEquals(1, recvWithin(c));
        assertEquals(2, recvWithin(c));
        assertTrue(c.poll(PATIENCE), "end of file is not ready for poll");
        assertThrows(EOFException.class, c::recv);
        assertThrows(BrokenPipeException.class, () -> c.send("nobody reads this"));
    }

    @Test
    @DisplayName("a recv blocked in the parent is woken with EOFException when the child closes its end")
    void blockedRecvWokenByClose() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        Connection child = pipe.second();
        start(() -> closeAfterGo(child));
        pipe.second().close();
        Connection c = pipe.first();
        c.send("go");
        var recv = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor().submit(c::recv);
        var e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> recv.get(PATIENCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        assertTrue(e.getCause() instanceof EOFException, e.getCause().toString());
    }

    /**
     * Starts a child holding {@code pipe.second()} that says hello on it and hangs, and kills it
     * once the hello arrived at {@code pipe.first()}.
     *
     * @param closeOurCopy whether this process closes its copy of the child's end first
     */
    private void killAfterHello(Pipe.Ends pipe, boolean closeOurCopy) throws Exception {
        Connection child = pipe.second();
        Process p = start(() -> sendThenHang(child));
        assertEquals("hello", recvWithin(pipe.first()));
        if (closeOurCopy) {
            child.close();
        }
        p.kill();
        assertTrue(p.join(PATIENCE));
    }

    @Test
    @DisplayName("a child killed mid-conversation gives the parent EOF, even if the parent kept a copy of its end")
    void childKilled() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        // Python's classic trap: the parent does not close its copy of pipe.second().
        killAfterHello(pipe, false);
        Connection c = pipe.first();
        assertTrue(c.poll(PATIENCE), "the dead child's end never closed");
        assertThrows(EOFException.class, c::recv);
    }

    @Test
    @DisplayName("sends to an end whose only holder was killed fail with BrokenPipeException, not into a ring nobody reads")
    void sendToAKilledReader() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        killAfterHello(pipe, true); // the child held the other end alone
        Connection c = pipe.first();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int sent = 0;
        try {
            while (System.nanoTime() < deadline) {
                c.send("into the void " + sent++);
                Thread.sleep(5);
            }
            fail("sends to a killed reader still succeeded after " + sent);
        } catch (BrokenPipeException | ProcessGoneException expected) {
            // ProcessGoneException where the end's unread messages lived in the killed process
            assertTrue(sent < 100, sent + " sends succeeded before the first failed");
        }
    }

    @Test
    @DisplayName("wait() returns the ready connections and ended processes, and nothing on timeout")
    void waitOnSeveral() throws Exception {
        Pipe.Ends go = Pipe.open();
        Pipe.Ends data = Pipe.open();
        Connection goEnd = go.second();
        Connection dataEnd = data.second();
        start(() -> goThenSendOnOther(goEnd, dataEnd));
        Connection a = go.first();
        Connection b = data.first();
        assertEquals(List.of(), Connection.wait(List.of(a, b), Duration.ofMillis(100)));
        a.send("go");
        assertEquals(List.of(b), Connection.wait(List.of(a, b), PATIENCE));
        assertEquals("x", b.recv());
        Process sentinel = start(PipeKit::exitNow);
        assertEquals(List.of(sentinel), Connection.wait(List.of(a, b, sentinel), PATIENCE));
        assertThrows(IllegalArgumentException.class, () -> Connection.wait(List.of("not a connection"), null));
        Process unstarted = new Process(context(), PipeKit::exitNow);
        assertThrows(IllegalStateException.class, () -> Connection.wait(List.of(a, unstarted), Duration.ZERO),
                "a process never started was taken as not ready");
    }

    @Test
    @DisplayName("many messages from one sender arrive once each, in order")
    void order() throws Exception {
        Pipe.Ends pipe = Pipe.open(false);
        Connection child = pipe.second();
        start(() -> sendMany(child));
        pipe.second().close();
        Connection c = pipe.first();
        int[] got = new int[MANY];
        for (int i = 0; i < MANY; i++) {
            got[i] = (Integer) recvWithin(c);
        }
        int[] expected = new int[MANY];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, got);
        assertTrue(c.poll(PATIENCE));
        assertThrows(EOFException.class, c::recv, "a message was duplicated, or the end never closed");
    }

    @Test
    @DisplayName("a sender that outruns its reader (12 MiB sent before the first is read) loses nothing and keeps the order")
    void senderOutrunsReader() throws Exception {
        Pipe.Ends pipe = Pipe.open(false);
        Connection child = pipe.second();
        Process p = start(() -> flood(child));
        pipe.second().close();
        Connection c = pipe.first();
        // Let the sender fill whatever the transport buffers (and wait for room, where it bounds it).
        Thread.sleep(500);
        for (int i = 0; i < FLOOD; i++) {
            assertTrue(c.poll(PATIENCE), "message " + i + " did not arrive within " + PATIENCE);
            assertArrayEquals(pattern(FLOOD_SIZE, i), c.recvBytes(), "message " + i);
        }
        assertTrue(c.poll(PATIENCE));
        assertThrows(EOFException.class, c::recvBytes, "a message too many, or the end never closed");
        p.join(PATIENCE);
        assertEquals(0, p.exitCode());
    }

    @Test
    @DisplayName("a pipe end passed on to a grandchild works there, and closes when the last holder is done")
    void grandchild() throws Exception {
        Pipe.Ends pipe = Pipe.open(false);
        Connection end = pipe.second();
        Process child = start(() -> startGrandchild(end));
        pipe.second().close();
        Connection c = pipe.first();
        assertEquals("from " + child.name() + ":1", recvWithin(c));
        assertTrue(c.poll(PATIENCE));
        assertThrows(EOFException.class, c::recv);
    }

    @Test
    @DisplayName("an unencodable value fails in the sender naming its class; a closed handle refuses use")
    void senderErrors() {
        Pipe.Ends pipe = Pipe.open();
        CodecException e = assertThrows(CodecException.class, () -> pipe.first().send(new Object()));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        pipe.first().close();
        assertTrue(pipe.first().isClosed());
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> pipe.first().send("x"));
        assertTrue(closed.getMessage().startsWith("handle is closed: <Connection "), closed.getMessage());
        assertTrue(closed.getMessage().contains(", closed>"), closed.getMessage());
        pipe.first().close();
    }

    @Test
    @DisplayName("a copy of an end received in a message closes with the one its process closed: recv and poll there fail, never hang")
    void copyOfAClosedEnd() throws Exception {
        Pipe.Ends pipe = Pipe.open();
        Pipe.Ends carrier = Pipe.open();
        try {
            carrier.first().send(pipe.second());
            Connection copy = (Connection) recvWithin(carrier.second());
            pipe.second().close(); // this process's hold on the end, which the copy shares
            assertThrows(BrokenPipeException.class, () -> pipe.first().send("lost"));
            java.util.concurrent.CompletableFuture<Throwable> recv = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    copy.recv();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Throwable failure = recv.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, failure, "recv on the copy of a closed end");
            assertThrows(IllegalStateException.class, () -> copy.poll(PATIENCE));
        } finally {
            pipe.first().close();
            carrier.first().close();
            carrier.second().close();
        }
    }

    /** Receives, but fails the test instead of hanging when nothing comes. */
    private static @org.jspecify.annotations.Nullable Object recvWithin(Connection c) throws Exception {
        assertTrue(c.poll(PATIENCE), "nothing arrived on " + c + " within " + PATIENCE);
        return c.recv();
    }
}
