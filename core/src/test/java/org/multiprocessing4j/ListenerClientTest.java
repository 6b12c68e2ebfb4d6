package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.internal.net.Sockets;

class ListenerClientTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void roundTripInBothDirections() throws Exception {
        try (Listener listener = new Listener();
             Connection client = Client.connect(listener.address());
             Connection server = listener.accept()) {
            client.send(List.of(1, 2, 3));
            assertEquals(List.of(1, 2, 3), server.recv());
            server.sendBytes("raw".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("raw".getBytes(StandardCharsets.UTF_8), client.recvBytes());
            assertFalse(client.poll(Duration.ofMillis(20)));
            server.send("later");
            assertEquals(List.of(client), Connection.wait(List.of(client), LIMIT));
            assertEquals("later", client.recv());
        }
    }

    @Test
    void aSendFromAnInterruptedThreadGoesAndLeavesTheConnectionOpen() throws Exception {
        try (Listener listener = new Listener();
             Connection client = Client.connect(listener.address());
             Connection server = listener.accept()) {
            Thread.currentThread().interrupt();
            try {
                client.send("sent while interrupted");
                client.sendBytes(new byte[256 * 1024]);
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            } finally {
                Thread.interrupted();
            }
            assertEquals("sent while interrupted", server.recv());
            assertEquals(256 * 1024, server.recvBytes().length);
            client.send("and after");
            assertEquals("and after", server.recv());
            server.send("back");
            assertEquals("back", client.recv());
        }
    }

    @Test
    void acceptWithTimeoutReturnsNullAndClosedListenerRefuses() throws Exception {
        Listener listener = new Listener();
        assertNull(listener.accept(Duration.ofMillis(30)));
        listener.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, listener::accept);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        // Usually ConnectException; a port in the ephemeral range can also be taken by the client's
        // own socket (a TCP self-connect), which then fails the handshake: an IOException either way.
        assertThrows(IOException.class, () -> Client.connect(listener.address()));
    }

    @Test
    void aTimeoutTooLongForNanosecondsWaitsInsteadOfFailing() throws Exception {
        Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();
        try (Listener listener = new Listener()) {
            Thread client = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(200);
                    Client.connect(listener.address()).close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Connection accepted = listener.accept(forever);
            assertNotNull(accepted);
            accepted.close();
            client.join();
        }
    }

    @Test
    void closeEndsTheOtherSideWithEndOfFile() throws Exception {
        try (Listener listener = new Listener()) {
            Connection client = Client.connect(listener.address());
            try (Connection server = listener.accept()) {
                client.send("last");
                client.close();
                assertEquals("last", server.recv());
                assertThrows(EOFException.class, server::recv);
                assertThrows(BrokenPipeException.class, () -> {
                    for (int i = 0; i < 1000; i++) {
                        server.sendBytes(new byte[64 * 1024]);
                    }
                });
            }
        }
    }

    @Test
    void aJvmThatTheListenerDidNotStartConnectsWithTheKey() throws Exception {
        byte[] key = "a key both sides were given".getBytes(StandardCharsets.UTF_8);
        try (Listener listener = new Listener(loopback(), key)) {
            java.lang.Process stranger = stranger(listener, key, "echo");
            try (Connection c = listener.accept(LIMIT)) {
                assertNotNull(c, "the stranger never connected");
                c.send("ping");
                assertEquals("stranger got ping", c.recv());
            } finally {
                assertTrue(stranger.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, stranger.exitValue(), () -> stderrOf(stranger));
            }
        }
    }

    @Test
    void aWrongKeyFailsTheClientAndLeavesTheListenerServing() throws Exception {
        try (CapturedOutput out = new CapturedOutput();
             Listener listener = new Listener(loopback(), "right".getBytes(StandardCharsets.UTF_8))) {
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> Client.connect(listener.address(), "wrong".getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("authkeys differ"), e.getMessage());
            awaitRefused(listener, 1);
            assertTrue(out.err().contains("refused a connection from"), out.err());
            try (Connection ok = Client.connect(listener.address(), "right".getBytes(StandardCharsets.UTF_8));
                 Connection server = listener.accept(LIMIT)) {
                assertNotNull(server);
                ok.send(42);
                assertEquals(42, server.recv());
            }
        }
    }

    @Test
    void aClientThatNeverAnswersOrSendsGarbageIsRefused() throws Exception {
        try (CapturedOutput out = new CapturedOutput();
             Listener listener = Listener.builder().handshakeTimeout(Duration.ofMillis(300)).build()) {
            SocketChannel silent = SocketChannel.open(listener.address());
            awaitRefused(listener, 1);
            assertTrue(out.err().contains("no complete handshake within"), out.err());
            silent.close();
            java.lang.Process raw = stranger(listener, new byte[] {1}, "raw");
            awaitRefused(listener, 2);
            assertTrue(raw.waitFor(30, TimeUnit.SECONDS));
            assertTrue(out.err().contains("not a multiprocessing4j peer"), out.err());
            // A client that hangs up in the middle of the handshake.
            try (SocketChannel quitter = SocketChannel.open(listener.address())) {
                quitter.read(ByteBuffer.allocate(8));
            }
            awaitRefused(listener, 3);
            // None of it harmed the listener.
            try (Connection ok = Client.connect(listener.address());
                 Connection server = listener.accept(LIMIT)) {
                assertNotNull(server);
                ok.send("still here");
                assertEquals("still here", server.recv());
            }
        }
    }

    @Test
    void aServerThatIsNotAListenerFailsTheClient() throws Exception {
        try (java.nio.channels.ServerSocketChannel fake = java.nio.channels.ServerSocketChannel.open()) {
            fake.bind(loopback());
            Thread.ofVirtual().start(() -> {
                try (SocketChannel ch = fake.accept()) {
                    ch.write(ByteBuffer.wrap("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII)));
                    Thread.sleep(2000);
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> Client.connect(fake.getLocalAddress()));
            assertTrue(e.getMessage().contains("not a multiprocessing4j peer"), e.getMessage());
        }
    }

    @Test
    void garbageOrAnOversizeFrameAfterTheHandshakeClosesOnlyThatConnection() throws Exception {
        try (Listener listener = new Listener()) {
            byte[] key = org.multiprocessing4j.internal.ProcessRuntime.current().authkey();
            SocketChannel raw = Sockets.connect(listener.address(), key, LIMIT);
            try (Connection server = listener.accept(LIMIT)) {
                assertNotNull(server);
                raw.write(ByteBuffer.allocate(4).putInt(0, Integer.MAX_VALUE));
                EOFException e = assertThrows(EOFException.class, server::recv);
                assertTrue(e.getMessage().contains("maximum"), e.getMessage());
            } finally {
                raw.close();
            }
            SocketChannel garbage = Sockets.connect(listener.address(), key, LIMIT);
            try (Connection server = listener.accept(LIMIT)) {
                assertNotNull(server);
                garbage.write(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1}));
                assertThrows(EOFException.class, server::recv);
            } finally {
                garbage.close();
            }
            try (Connection ok = Client.connect(listener.address());
                 Connection server = listener.accept(LIMIT)) {
                assertNotNull(server);
                ok.send("fine");
                assertEquals("fine", server.recv());
            }
        }
    }

    @Test
    void aPeerKilledInTheMiddleOfAFrameGivesEndOfFile() throws Exception {
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        try (Listener listener = new Listener(loopback(), key)) {
            java.lang.Process stranger = stranger(listener, key, "half-frame");
            try (Connection server = listener.accept(LIMIT)) {
                assertNotNull(server);
                BufferedReader out = new BufferedReader(
                        new InputStreamReader(stranger.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("sent", out.readLine());
                stranger.destroyForcibly();
                EOFException e = assertThrows(EOFException.class, server::recv);
                assertTrue(e.getMessage().contains("middle of a frame"), e.getMessage());
            } finally {
                stranger.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aThousandConnectionsLeaveNoDescriptorBehind() throws Exception {
        try (Listener listener = new Listener()) {
            // Warm up whatever the first connection loads or opens once.
            try (Connection c = Client.connect(listener.address()); Connection s = listener.accept(LIMIT)) {
                c.send(0);
                assertEquals(0, s.recv());
            }
            long before = openDescriptors();
            for (int i = 0; i < 1000; i++) {
                try (Connection c = Client.connect(listener.address()); Connection s = listener.accept(LIMIT)) {
                    assertNotNull(s);
                    c.send(i);
                    assertEquals(i, s.recv());
                }
            }
            long deadline = System.nanoTime() + LIMIT.toNanos();
            long after = openDescriptors();
            while (after > before && System.nanoTime() < deadline) {
                Thread.sleep(50);
                after = openDescriptors();
            }
            assertTrue(after <= before, "open descriptors went from " + before + " to " + after);
        }
    }

    @Test
    void bindingBeyondLoopbackIsAnExplicitChoice() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Listener(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)));
        assertTrue(e.getMessage().contains("allowRemote"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Listener(loopback(), new byte[0]));
    }

    @Test
    void unixDomainSocketsWorkAndTheirFileIsRemoved(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("listener.sock");
        try (Listener listener = new Listener(UnixDomainSocketAddress.of(file));
             Connection client = Client.connect(listener.address());
             Connection server = listener.accept(LIMIT)) {
            assertNotNull(server);
            assertTrue(Files.exists(file));
            client.send("over unix");
            assertEquals("over unix", server.recv());
        }
        assertFalse(Files.exists(file));
        IOException missing = assertThrows(IOException.class, () -> Client.connect(UnixDomainSocketAddress.of(file)));
        assertTrue(missing.getMessage().contains(file.toString()), missing.getMessage());
    }

    @Test
    void aConnectionCannotBeSentToAnotherProcess() throws Exception {
        try (Listener listener = new Listener();
             Connection client = Client.connect(listener.address());
             Connection server = listener.accept(LIMIT)) {
            assertNotNull(server);
            CodecException e = assertThrows(CodecException.class,
                    () -> Multiprocessing.getContext().codec().encode(client));
            assertTrue(e.getMessage().contains("belongs to the process that opened it"), e.getMessage());
        }
    }

    @Test
    void aChildGetsTheAuthkeySetBeforeItsStartAndClientUsesIt() throws Exception {
        byte[] key = "the child's own key".getBytes(StandardCharsets.UTF_8);
        try (Listener listener = new Listener(loopback(), key)) {
            int port = ((InetSocketAddress) listener.address()).getPort();
            Process p = new Process(() -> {
                try (Connection c = Client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    c.send(HexFormat.of().formatHex(Multiprocessing.currentProcess().authkey()));
                }
            });
            p.setAuthkey(key);
            assertArrayEquals(key, p.authkey());
            p.start();
            try (Connection c = listener.accept(LIMIT)) {
                assertNotNull(c, "the child never connected with the key it was given");
                assertEquals(HexFormat.of().formatHex(key), c.recv());
            }
            assertTrue(p.join(LIMIT));
            assertEquals(0, p.exitCode());
            assertThrows(IllegalStateException.class, () -> p.setAuthkey(key));
        }
        byte[] mine = Multiprocessing.currentProcess().authkey();
        assertEquals(32, mine.length);
        assertArrayEquals(mine, new Process(() -> { }).authkey());
        assertThrows(IllegalArgumentException.class, () -> new Process(() -> { }).setAuthkey(new byte[0]));
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static void awaitRefused(Listener listener, long n) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (listener.refusedCount() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("refused " + listener.refusedCount() + ", expected " + n);
            }
            Thread.sleep(10);
        }
    }

    private static long openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static java.lang.Process stranger(Listener listener, byte[] key, String mode) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("com.acme.StrangerClient");
        java.lang.Process p = new ProcessBuilder(cmd).start();
        try (OutputStream in = p.getOutputStream()) {
            int port = ((InetSocketAddress) listener.address()).getPort();
            in.write((port + " " + HexFormat.of().formatHex(key) + " " + mode + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    private static String stderrOf(java.lang.Process p) {
        try {
            return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
