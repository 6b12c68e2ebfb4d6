package org.multiprocessing4j.ipc.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.internal.net.Sockets;
import org.multiprocessing4j.spi.Links;

/** The transport's links on their own, in one JVM: the handshake and every bad path. */
@DisplayName("the socket transport's links")
class NettyLinksTest {
    private static final byte[] KEY = "the tree's key".getBytes(StandardCharsets.UTF_8);
    private static final int MAX = 1 << 20;

    private NettyLinks server;
    private final List<Links.Link> accepted = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> closedLinks = new LinkedBlockingQueue<>();
    private String endpoint;

    @BeforeEach
    void listen() throws IOException {
        server = new NettyLinks(SocketSettings.fromSystemProperties(), KEY, MAX, 500);
        // An echo server: every frame goes back on its link.
        endpoint = server.listen(link -> {
            accepted.add(link);
            return new Links.Receiver() {
                @Override
                public void frame(byte[] frame) {
                    try {
                        link.send(frame, false);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }

                @Override
                public void closed(@Nullable Throwable cause) {
                    closedLinks.add(String.valueOf(cause));
                }
            };
        });
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    @DisplayName("carry frames whole and in order, both ways, many to a write")
    void roundTrip() throws Exception {
        NettyLinks client = new NettyLinks(SocketSettings.fromSystemProperties(), KEY, MAX);
        try {
            Collect got = new Collect();
            Links.Link link = client.connect(endpoint, got);
            for (int i = 0; i < 10_000; i++) {
                link.send(ByteBuffer.allocate(4).putInt(0, i).array(), true);
            }
            byte[] big = new byte[MAX];
            big[MAX - 1] = 7;
            link.send(big, true);
            for (int i = 0; i < 10_000; i++) {
                assertEquals(i, ByteBuffer.wrap(got.take()).getInt());
            }
            assertArrayEquals(big, got.take());
        } finally {
            client.close();
        }
    }

    @Test
    @DisplayName("work over abstract-namespace Unix domain sockets, which leave no file behind")
    void unixDomainSockets() throws Exception {
        SocketSettings unix = new SocketSettings("unix", true);
        org.junit.jupiter.api.Assumptions.assumeTrue(unix.unavailabilityCause() == null, unix::unavailabilityCause);
        NettyLinks unixServer = new NettyLinks(unix, KEY, MAX);
        NettyLinks client = new NettyLinks(unix, KEY, MAX);
        try {
            BlockingQueue<byte[]> echoed = new LinkedBlockingQueue<>();
            String ep = unixServer.listen(link -> new Links.Receiver() {
                @Override
                public void frame(byte[] frame) {
                    echoed.add(frame);
                }

                @Override
                public void closed(@Nullable Throwable cause) {
                }
            });
            assertTrue(ep.startsWith("unix:@"), ep);
            Links.Link link = client.connect(ep, new Collect());
            link.send("over unix".getBytes(StandardCharsets.UTF_8), true);
            byte[] got = echoed.poll(20, TimeUnit.SECONDS);
            assertNotNull(got);
            assertEquals("over unix", new String(got, StandardCharsets.UTF_8));
        } finally {
            client.close();
            unixServer.close();
        }
    }

    @Test
    @DisplayName("refuse a wrong key on both sides and go on serving")
    void wrongKey() throws Exception {
        NettyLinks stranger = new NettyLinks(SocketSettings.fromSystemProperties(),
                "another key".getBytes(StandardCharsets.UTF_8), MAX);
        try {
            IOException e = assertThrows(IOException.class, () -> stranger.connect(endpoint, new Collect()));
            AuthenticationException auth = assertInstanceOf(AuthenticationException.class, e.getCause(), e.toString());
            assertTrue(auth.getMessage().contains("authkeys differ"), auth.getMessage());
        } finally {
            stranger.close();
        }
        assertServes();
    }

    @Test
    @DisplayName("close a peer that sends nothing, garbage, or hangs up mid-handshake, and go on serving")
    void noKeyGarbageAndCutShort() throws Exception {
        try (SocketChannel silent = SocketChannel.open(address())) {
            assertClosedByServer(silent);
        }
        try (SocketChannel http = SocketChannel.open(address())) {
            http.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertClosedByServer(http);
        }
        try (SocketChannel quitter = SocketChannel.open(address())) {
            quitter.read(ByteBuffer.allocate(8));
        }
        assertServes();
        assertTrue(accepted.size() == 1, "only the good link was accepted: " + accepted);
    }

    @Test
    @DisplayName("close only the link that sends an oversize or garbled frame after the handshake")
    void oversizeAfterHandshake() throws Exception {
        // Core's blocking client speaks the same handshake.
        try (SocketChannel raw = Sockets.connect(address(), KEY, Duration.ofSeconds(10))) {
            raw.write(ByteBuffer.allocate(4).putInt(0, MAX + 1));
            assertClosedByServer(raw);
        }
        String cause = closedLinks.poll(10, TimeUnit.SECONDS);
        assertNotNull(cause);
        assertTrue(cause.contains("TooLongFrame") || cause.contains("exceeds"), cause);
        assertServes();
    }

    @Test
    @DisplayName("end a link whose peer dies in the middle of a frame, delivering nothing of it")
    void peerDiesMidFrame() throws Exception {
        SocketChannel raw = Sockets.connect(address(), KEY, Duration.ofSeconds(10));
        ByteBuffer half = ByteBuffer.allocate(4 + 100).putInt(0, 1000);
        while (half.hasRemaining()) {
            raw.write(half);
        }
        raw.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        raw.close();
        assertNotNull(closedLinks.poll(10, TimeUnit.SECONDS), "the link never ended");
        assertServes();
    }

    @Test
    @DisplayName("leave no descriptor behind after 1000 links opened and closed")
    void thousandLinks() throws Exception {
        NettyLinks client = new NettyLinks(SocketSettings.fromSystemProperties(), KEY, MAX);
        try {
            Collect warm = new Collect();
            Links.Link first = client.connect(endpoint, warm);
            first.send(new byte[] {1}, true);
            warm.take();
            first.close();
            awaitClosedLinks(1);
            long before = openDescriptors();
            for (int i = 0; i < 1000; i++) {
                Collect got = new Collect();
                Links.Link link = client.connect(endpoint, got);
                link.send(new byte[] {(byte) i}, true);
                assertEquals((byte) i, got.take()[0]);
                link.close();
            }
            awaitClosedLinks(1000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long after = openDescriptors();
            while (after > before && System.nanoTime() < deadline) {
                Thread.sleep(20);
                after = openDescriptors();
            }
            assertTrue(after <= before, "open descriptors went from " + before + " to " + after);
        } finally {
            client.close();
        }
    }

    private void awaitClosedLinks(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            assertNotNull(closedLinks.poll(20, TimeUnit.SECONDS), "only " + i + " of " + n + " links ended");
        }
    }

    private void assertServes() throws Exception {
        NettyLinks client = new NettyLinks(SocketSettings.fromSystemProperties(), KEY, MAX);
        try {
            Collect got = new Collect();
            Links.Link link = client.connect(endpoint, got);
            link.send("still serving".getBytes(StandardCharsets.UTF_8), true);
            assertEquals("still serving", new String(got.take(), StandardCharsets.UTF_8));
        } finally {
            client.close();
        }
    }

    private static void assertClosedByServer(SocketChannel ch) throws IOException {
        ch.socket().setSoTimeout(10_000);
        java.io.InputStream in = ch.socket().getInputStream();
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // drain what the server said before it closed
            }
        } catch (java.net.SocketException reset) {
            // closed with a reset: closed all the same
        }
    }

    private InetSocketAddress address() throws IOException {
        return (InetSocketAddress) NettyLinks.parse(endpoint);
    }

    private static long openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static final class Collect implements Links.Receiver {
        private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();

        @Override
        public void frame(byte[] frame) {
            frames.add(frame);
        }

        @Override
        public void closed(@Nullable Throwable cause) {
        }

        byte[] take() throws InterruptedException {
            byte[] f = frames.poll(20, TimeUnit.SECONDS);
            assertNotNull(f, "no frame within 20 s");
            return f;
        }
    }
}
