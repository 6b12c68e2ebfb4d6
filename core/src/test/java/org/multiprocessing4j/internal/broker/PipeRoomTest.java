package org.multiprocessing4j.internal.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.BrokenPipeException;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

/**
 * The broker pipe's bounded inboxes: a sender that outruns its reader waits for room instead
 * of piling messages up in the owner. A message of {@link #MESSAGE} bytes: three fit in an inbox
 * ({@link PipeServer#INBOX_LIMIT}), the fourth waits.
 */
@DisplayName("broker pipe: a sender waits for room in the reader's inbox")
public class PipeRoomTest {
    private static final int MESSAGE = (int) (PipeServer.INBOX_LIMIT / 4);
    private static final int FIT = 3;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** How long a send that must wait is watched not to go through (it cannot, so no flakiness). */
    private static final Duration QUIET = Duration.ofMillis(300);

    private final java.util.List<Pipe.Ends> opened = new java.util.ArrayList<>();

    /** {@return a new pipe, both ends closed after the test (closing twice is allowed)} */
    private Pipe.Ends open() {
        Pipe.Ends pipe = Pipe.open();
        opened.add(pipe);
        return pipe;
    }

    @AfterEach
    void closePipes() {
        for (Pipe.Ends pipe : opened) {
            pipe.first().close();
            pipe.second().close();
        }
    }

    private static byte[] message(int i) {
        byte[] m = new byte[MESSAGE];
        java.util.Arrays.fill(m, (byte) i);
        return m;
    }

    /** Sends {@code n} messages, counting each one that went. */
    private static CompletableFuture<Void> sendInBackground(Connection c, int n, AtomicInteger sent) {
        return CompletableFuture.runAsync(() -> {
            for (int i = 0; i < n; i++) {
                c.sendBytes(message(i));
                sent.incrementAndGet();
            }
        }, r -> Thread.ofPlatform().daemon().start(r));
    }

    private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
        long end = System.nanoTime() + PATIENCE.toNanos();
        while (count.get() < expected && System.nanoTime() - end < 0) {
            Thread.sleep(5);
        }
        assertEquals(expected, count.get());
    }

    @Test
    @DisplayName("a send that may not wait fails TIMEOUT on a full inbox and leaves it as it was; it goes in once a read made room")
    void sendThatMayNotWait() throws Exception {
        BrokerPipe pipe = BrokerPipe.open();
        BrokerConnection writer = (BrokerConnection) pipe.first();
        BrokerConnection reader = (BrokerConnection) pipe.second();
        try {
            for (int i = 0; i < FIT; i++) {
                writer.send(message(i), 0, MESSAGE);
            }
            byte[] call = new byte[MESSAGE + 1];
            call[0] = (byte) writer.end();
            System.arraycopy(message(FIT), 0, call, 1, MESSAGE);
            com.google.protobuf.ByteString payload = com.google.protobuf.ByteString.copyFrom(call);
            RemoteFailure full = assertThrows(RemoteFailure.class, () -> writer.ref().callNow(PipeServer.SEND, payload));
            assertEquals(FailureKind.TIMEOUT, full.kind(), full.getMessage());
            assertTrue(full.getMessage().contains("no room in the pipe"), full.getMessage());

            assertArrayEquals(message(0), reader.recv());
            writer.ref().callNow(PipeServer.SEND, payload);
            for (int i = 1; i <= FIT; i++) {
                assertArrayEquals(message(i), reader.recv(), "message " + i);
            }
            assertFalse(reader.poll(0), "a message the failed send was not to leave behind");
        } finally {
            writer.close();
            reader.close();
        }
    }

    @Test
    @DisplayName("in the owner: sends beyond the limit wait, go in order as reads make room, and nothing is lost")
    void ownerWaitsForRoom() throws Exception {
        Pipe.Ends pipe = open();
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> sender = sendInBackground(pipe.first(), 6, sent);
        awaitCount(sent, FIT);
        Thread.sleep(QUIET.toMillis());
        assertEquals(FIT, sent.get(), "a send went in beyond the inbox's limit");
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(message(i), pipe.second().recvBytes(), "message " + i);
            if (i < 6 - FIT) {
                awaitCount(sent, FIT + i + 1);
            }
        }
        sender.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(pipe.first().poll() || pipe.second().poll(), "a message too many");
    }

    @Test
    @DisplayName("a message larger than the limit goes in when the inbox is empty")
    void oversizeMessage() throws Exception {
        Pipe.Ends pipe = open();
        byte[] big = new byte[(int) PipeServer.INBOX_LIMIT + 1];
        big[big.length - 1] = 9;
        pipe.first().sendBytes(big);
        assertArrayEquals(big, pipe.second().recvBytes());
    }

    @Test
    @DisplayName("an interrupt does not drop a waiting send: it goes once, and the flag is set again")
    void interruptedWhileWaiting() throws Exception {
        Pipe.Ends pipe = open();
        for (int i = 0; i < FIT; i++) {
            pipe.first().sendBytes(message(i));
        }
        CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
        Thread sender = Thread.ofPlatform().daemon().start(() -> {
            pipe.first().sendBytes(message(FIT));
            interruptedAfter.complete(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(QUIET.toMillis());
        sender.interrupt();
        Thread.sleep(QUIET.toMillis());
        assertTrue(sender.isAlive(), "an interrupt ended a send that had no room");
        for (int i = 0; i <= FIT; i++) {
            assertArrayEquals(message(i), pipe.second().recvBytes(), "message " + i);
        }
        assertTrue(interruptedAfter.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(pipe.second().poll(), "the interrupted send went twice");
    }

    @Test
    @DisplayName("sends wait in arrival order; one that waited behind an interrupted send goes once that one leaves the line")
    void lineAfterCancel() throws Exception {
        Pipe.Ends pipe = open();
        for (int i = 0; i < FIT; i++) {
            pipe.first().sendBytes(message(i));
        }
        byte[] big = new byte[2 * MESSAGE];
        CompletableFuture<Void> bigSent = CompletableFuture.runAsync(() -> pipe.first().sendBytes(big),
                r -> Thread.ofPlatform().daemon().name("big sender").start(r));
        Thread.sleep(QUIET.toMillis());
        assertFalse(bigSent.isDone(), "a message went in beyond the inbox's limit");
        byte[] small = {42};
        CompletableFuture<Void> smallSent = CompletableFuture.runAsync(() -> pipe.first().sendBytes(small),
                r -> Thread.ofPlatform().daemon().name("small sender").start(r));
        Thread.sleep(QUIET.toMillis());
        assertFalse(smallSent.isDone(), "a send went ahead of one waiting before it");
        Thread bigSender = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("big sender")).findFirst().orElseThrow();
        bigSender.interrupt(); // its send leaves the line, and is made again at its end
        smallSent.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(bigSent.isDone(), "the large message went in without room");
        for (int i = 0; i < FIT; i++) {
            assertArrayEquals(message(i), pipe.second().recvBytes(), "message " + i);
        }
        assertArrayEquals(small, pipe.second().recvBytes());
        bigSent.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertArrayEquals(big, pipe.second().recvBytes());
        assertFalse(pipe.second().poll(), "a message too many");
    }

    @Test
    @DisplayName("a waiting send fails with BrokenPipeException when the reading end is closed")
    void readerClosesWhileSenderWaits() throws Exception {
        Pipe.Ends pipe = open();
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> sender = sendInBackground(pipe.first(), FIT + 1, sent);
        awaitCount(sent, FIT);
        pipe.second().close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> sender.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(BrokenPipeException.class, e.getCause());
    }

    /** The child's side: sends {@code n} messages, reporting each, then what ended it. */
    public static void childSends(Connection c, int n, Queue<Object> progress) throws InterruptedException {
        try {
            for (int i = 0; i < n; i++) {
                c.sendBytes(message(i));
                progress.put(i + 1);
            }
            progress.put("done");
        } catch (BrokenPipeException e) {
            progress.put("broken pipe");
        }
    }

    @Test
    @DisplayName("from a child: its send waits while the owner's inbox is full, then the rest arrive; a closed reader fails it")
    void childWaitsForRoom() throws Exception {
        Pipe.Ends pipe = open();
        Queue<Object> progress = new Queue<>();
        Connection childEnd = pipe.first();
        int n = 2 * FIT + 2;
        Process p = new Process(() -> childSends(childEnd, n, progress));
        try {
            p.start();
            for (int i = 1; i <= FIT; i++) {
                assertEquals(i, progress.get(PATIENCE));
            }
            assertThrows(Queue.Empty.class, () -> progress.get(QUIET), "a send went in beyond the inbox's limit");
            for (int i = 0; i < FIT + 1; i++) {
                assertArrayEquals(message(i), pipe.second().recvBytes(), "message " + i);
            }
            for (int i = FIT + 1; i <= 2 * FIT + 1; i++) {
                assertEquals(i, progress.get(PATIENCE));
            }
            // Now three wait in the inbox and the last send waits for room: closing the reader fails it.
            pipe.second().close();
            assertEquals("broken pipe", progress.get(PATIENCE));
            p.join(PATIENCE);
            assertEquals(0, p.exitCode());
        } finally {
            if (p.isAlive()) {
                p.kill();
                p.join(PATIENCE);
            }
            progress.close();
        }
    }
}
