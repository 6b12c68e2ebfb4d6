package org.multiprocessing4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.wire.FrameReader;
import org.multiprocessing4j.internal.wire.proto.Call;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.Reply;

class ControlLinkTest {

    /** Holds the writer in its first write until released. */
    private static final class HeldStream extends OutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public synchronized void write(int b) {
            written.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            synchronized (this) {
                written.write(b, off, len);
            }
        }
    }

    private static Envelope call(String payload, boolean oneway) {
        return Envelope.newBuilder().setTo("").setFrom("1").setCall(Call.newBuilder().setId(9).setObject(7).setOp(1)
                .setThread(Thread.currentThread().threadId()).setOneway(oneway).setPayload(ByteString.copyFromUtf8(payload)))
                .build();
    }

    /** Remembers which thread wrote first. */
    private static final class WhoWrites extends ByteArrayOutputStream {
        volatile Thread first;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (first == null) {
                first = Thread.currentThread();
            }
            super.write(b, off, len);
        }
    }

    private static List<String> payloads(byte[] written) throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(written), 1 << 20, "test");
        List<String> received = new ArrayList<>();
        for (Envelope e = reader.read(); e != null; e = reader.read()) {
            received.add(e.getCall().getPayload().toStringUtf8());
        }
        return received;
    }

    @Test
    @DisplayName("sendFirst writes a link's first frame on the caller's thread, ahead of later frames; after a send it queues in order")
    void sendFirst() throws Exception {
        WhoWrites out = new WhoWrites();
        ControlLink link = new ControlLink(out, "test link", 1 << 20);
        link.sendFirst(call("bootstrap", false));
        assertEquals(Thread.currentThread(), out.first, "the first frame was not written by the caller");
        assertEquals(List.of("bootstrap"), payloads(out.toByteArray()), "not written before sendFirst returned");
        link.send(call("second", false));
        link.sendFirst(call("third", false));
        assertTrue(link.drain(Duration.ofSeconds(10)));
        link.close();
        assertEquals(List.of("bootstrap", "second", "third"), payloads(out.toByteArray()));

        WhoWrites large = new WhoWrites();
        ControlLink other = new ControlLink(large, "test link", 1 << 20);
        String big = "x".repeat(ControlLink.FIRST_WRITE_MAX);
        other.sendFirst(call(big, false));
        assertTrue(other.drain(Duration.ofSeconds(10)));
        other.close();
        assertTrue(large.first != Thread.currentThread(), "a frame too large to be sure a pipe holds it was written by the caller");
        assertEquals(List.of(big), payloads(large.toByteArray()));

        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("the child is gone");
            }
        };
        ControlLink broken = new ControlLink(failing, "test link", 1 << 20);
        assertThrows(IOException.class, () -> broken.sendFirst(call("bootstrap", false)));
        assertTrue(broken.isBroken(), "a failed first write left the link usable");
        assertThrows(IOException.class, () -> broken.send(call("later", false)));
    }

    @Test
    @DisplayName("posts queued while the writer is busy go as few frames, in order with the calls between them")
    void mergesQueuedPosts() throws Exception {
        HeldStream out = new HeldStream();
        ControlLink link = new ControlLink(out, "test link", 1 << 20);
        long thread = Thread.currentThread().threadId();
        link.send(call("first", false));
        out.writing.await();
        List<String> sent = new ArrayList<>(List.of("first!"));
        for (int i = 0; i < 50; i++) {
            link.post("", "1", i, 7, 1, thread, ByteString.copyFromUtf8("p" + i));
            sent.add("p" + i);
        }
        link.send(call("middle", false));
        sent.add("middle!");
        link.send(call("relayed", true)); // a post passing through joins a batch too
        sent.add("relayed");
        for (int i = 50; i < 100; i++) {
            link.post("", "1", i, 7, 1, thread, ByteString.copyFromUtf8("p" + i));
            sent.add("p" + i);
        }
        out.release.countDown();
        assertTrue(link.drain(Duration.ofSeconds(10)));
        link.close();

        FrameReader reader = new FrameReader(new ByteArrayInputStream(out.written.toByteArray()), 1 << 20, "test");
        List<String> received = new ArrayList<>();
        int frames = 0;
        for (Envelope e = reader.read(); e != null; e = reader.read()) {
            frames++;
            Call c = e.getCall();
            received.add(c.getPayload().toStringUtf8() + (c.getOneway() ? "" : "!"));
            c.getMorePayloadsList().forEach(p -> received.add(p.toStringUtf8()));
        }
        assertEquals(sent, received);
        assertEquals(4, frames, "the call, 50 posts, the call, the relayed post and 50 more");
    }

    @Test
    @DisplayName("a producer waits once the queued bytes pass the bound, and goes on as the writer writes; a reply never waits")
    void producerWaitsAboveTheBound() throws Exception {
        HeldStream out = new HeldStream();
        ControlLink link = new ControlLink(out, "test link", 1 << 20);
        long thread = Thread.currentThread().threadId();
        ByteString kib = ByteString.copyFrom(new byte[1024]);
        int fits = (int) (ControlLink.MAX_QUEUED_BYTES / 1024);
        int total = fits + 100;
        AtomicInteger posted = new AtomicInteger();
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    link.post("", "1", i, 7, 1, thread, kib);
                    posted.incrementAndGet();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        out.writing.await();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (producer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.WAITING, producer.getState(), "the producer waits for the writer");
        int before = posted.get();
        assertTrue(before > fits / 2 && before < total, before + " posts of 1 KiB went before the wait");
        Envelope reply = Envelope.newBuilder().setTo("1").setFrom("").setReply(Reply.newBuilder().setId(1)).build();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> link.send(reply), "a reply does not wait");
        out.release.countDown();
        producer.join(Duration.ofSeconds(30));
        assertEquals(total, posted.get());
        assertTrue(link.drain(Duration.ofSeconds(10)));
        link.close();
        int received = 0;
        FrameReader reader = new FrameReader(new ByteArrayInputStream(out.written.toByteArray()), 1 << 20, "test");
        for (Envelope e = reader.read(); e != null; e = reader.read()) {
            if (e.hasCall()) {
                received += 1 + e.getCall().getMorePayloadsCount();
            }
        }
        assertEquals(total, received, "every post was written, none lost or doubled");
    }
}
