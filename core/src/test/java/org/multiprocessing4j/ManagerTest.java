package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ManagedTypes.Counter;
import org.multiprocessing4j.ManagedTypes.CounterImpl;

/** Managers in core: custom types, exceptions, references, remote access, death. */
class ManagerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final byte[] KEY = "manager-test-key".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static Manager manager;

    @BeforeAll
    static void startManager() {
        manager = Manager.builder()
                .register(Counter.class, args -> new CounterImpl(args.length == 0 ? 0 : (Integer) args[0]))
                .address(new InetSocketAddress("127.0.0.1", 0))
                .authkey(KEY)
                .build();
        manager.start();
    }

    @AfterAll
    static void stopManager() {
        manager.shutdown();
    }

    @Test
    @DisplayName("the server process is a daemon named Manager-N; a second start is refused")
    void name() {
        assertTrue(manager.name().matches("Manager-\\d+"), manager.name());
        IllegalStateException e = assertThrows(IllegalStateException.class, manager::start);
        assertTrue(e.getMessage().contains("starts once"), e.getMessage());
    }

    @Test
    @DisplayName("a registered type's calls run in the server; a method returning a registered type returns a proxy")
    void customType() {
        Counter c = manager.create(Counter.class, 5);
        assertTrue(Proxy.isProxyClass(c.getClass()));
        assertEquals(6, c.increment());
        assertEquals(manager.name(), c.where());
        Counter child = c.child();
        assertInstanceOf(ManagedProxy.class, child);
        assertEquals(101, child.increment());
        assertEquals(101, c.child().get(), "the same server object, reached twice");
        assertEquals(child, c.child(), "proxies of one object are equal");
        assertNotEquals(c, child);
        assertEquals("CounterImpl(6)", c.toString(), "toString runs in the server");
        ((ManagedProxy) child).close();
        ((ManagedProxy) c).close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, c::get);
        assertTrue(closed.getMessage().contains("was closed"), closed.getMessage());
    }

    @Test
    @DisplayName("an exception thrown in the server comes back with the server's stack trace and the caller's")
    void exceptions() {
        Counter c = manager.create(Counter.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.fail("bad input 7"));
        assertEquals("bad input 7", e.getMessage());
        List<String> frames = Arrays.stream(e.getStackTrace()).map(StackTraceElement::toString).toList();
        assertTrue(frames.stream().anyMatch(f -> f.contains("CounterImpl.fail")), frames.toString());
        assertTrue(frames.stream().anyMatch(f -> f.contains("<<manager " + manager.name())), frames.toString());
        assertTrue(frames.stream().anyMatch(f -> f.contains("ManagerTest.lambda")), frames.toString());

        CodecException result = assertThrows(CodecException.class, c::unencodable);
        assertTrue(result.getMessage().contains("java.lang.Object"), result.getMessage());
        CodecException argument = assertThrows(CodecException.class,
                () -> manager.dict().put("k", new ManagedTypes.Opaque()));
        assertTrue(argument.getMessage().contains("ManagedTypes$Opaque"), argument.getMessage());
        IllegalStateException unregistered = assertThrows(IllegalStateException.class,
                () -> manager.create(Runnable.class));
        assertTrue(unregistered.getMessage().contains("java.lang.Runnable is not registered"), unregistered.getMessage());
        ((ManagedProxy) c).close();
    }

    @Test
    @DisplayName("closed and garbage-collected proxies give their references back: the server's object count goes down")
    void references() throws InterruptedException {
        try (Manager m = Manager.builder().register(Counter.class, args -> new CounterImpl(0)).build()) {
            m.start();
            assertEquals(0, m.objectCount());
            DictProxy<String, Integer> d = m.dict();
            ListProxy<Integer> l = m.list(List.of(1, 2));
            Counter c = m.create(Counter.class);
            Counter child = c.child();
            assertEquals(4, m.objectCount());
            d.close();
            d.close();
            l.close();
            assertEquals(2, m.objectCount());
            assertEquals(101, child.increment(), "the child lives while its proxy does");
            c = null;
            child = null;
            awaitCount(m, 0);
        }
    }

    @Test
    @DisplayName("a proxy passed to a child works there; the child's reference ends with it")
    void proxyInAChild() throws Exception {
        DictProxy<String, Integer> d = manager.dict(Map.of("start", 1));
        Counter c = manager.create(Counter.class, 10);
        Process p = new Process(() -> {
            d.merge("hits", 1, Integer::sum);
            d.put("seen", c.increment());
        });
        p.start();
        assertTrue(p.join(PATIENCE));
        assertEquals(0, p.exitCode());
        assertEquals(Map.of("start", 1, "hits", 1, "seen", 11), d.copy());
        assertEquals(11, c.get());
    }

    @Test
    @DisplayName("a call larger than the manager's frames fails in the caller with the sizes; the manager lives on")
    void callTooLarge() {
        Context small = Context.builder().maxFrameSize(1 << 20).build();
        try (Manager m = new Manager(small)) {
            m.start();
            DictProxy<String, Object> d = m.dict();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.put("big", new byte[2 << 20]));
            assertTrue(e.getMessage().contains("1048576"), e.getMessage());
            assertTrue(e.getMessage().contains("maxFrameSize"), e.getMessage());
            d.put("small", 1);
            assertEquals(1, d.get("small"));
            assertTrue(m.process().isAlive());
        }
    }

    static void putTooLarge(java.net.SocketAddress address) throws java.io.IOException {
        try (Manager client = Manager.connect(address, KEY)) {
            DictProxy<String, Object> d = client.dict();
            try {
                d.put("big", new byte[2 << 20]);
                System.out.println("sent");
            } catch (IllegalArgumentException e) {
                System.out.println("refused: " + e.getMessage());
            }
            d.put("small", 1);
            System.out.println("then put " + d.get("small"));
        }
    }

    @Test
    @DisplayName("a remote client's call larger than its frames fails in the client (IllegalArgumentException), which goes on")
    void remoteCallTooLarge() throws Exception {
        Context small = Context.builder().maxFrameSize(1 << 20).build();
        java.net.SocketAddress address = manager.address();
        try (CapturedOutput out = new CapturedOutput()) {
            Process p = small.process(() -> putTooLarge(address));
            p.start();
            assertTrue(p.join(PATIENCE));
            assertEquals(0, p.exitCode(), out.err());
            assertTrue(out.out().contains("refused: a call to the manager") && out.out().contains("was not sent"), out.out());
            assertTrue(out.out().contains("then put 1"), out.out());
        }
    }

    @Test
    @DisplayName("a remote client asking for more than the server's frames hold is told so, not left waiting")
    void remoteAnswerTooLarge() throws Exception {
        Context small = Context.builder().maxFrameSize(1 << 20).build();
        try (Manager m = Manager.builder().context(small).address(new InetSocketAddress("127.0.0.1", 0)).authkey(KEY).build()) {
            m.start();
            try (Manager client = Manager.connect(m.address(), KEY)) {
                ListProxy<byte[]> l = client.list();
                l.add(new byte[600 << 10]);
                l.add(new byte[600 << 10]);
                RuntimeException e = assertThrows(RuntimeException.class, l::copy);
                assertTrue(e.getMessage().contains("was not sent") && e.getMessage().contains("maxFrameSize"), e.getMessage());
                assertEquals(2, l.size(), "the connection stays usable");
            }
        }
    }

    static void getTooLarge(DictProxy<String, Object> d) {
        try {
            System.out.println("got " + ((byte[]) d.get("big")).length + " bytes");
        } catch (IllegalArgumentException e) {
            System.out.println("refused: " + e.getMessage());
        }
        System.out.println("then got " + d.get("small"));
    }

    @Test
    @DisplayName("an answer larger than the caller's frames fails in the caller; the links on the way live on")
    void answerTooLarge() throws Exception {
        DictProxy<String, Object> d = manager.dict(Map.of("big", new byte[2 << 20], "small", 7));
        Context small = Context.builder().maxFrameSize(1 << 20).build();
        try (CapturedOutput out = new CapturedOutput()) {
            Process p = small.process(() -> getTooLarge(d));
            p.start();
            assertTrue(p.join(PATIENCE));
            assertEquals(0, p.exitCode(), out.err());
            assertTrue(out.out().contains("refused: ") && out.out().contains("1048576"), out.out());
            assertTrue(out.out().contains("then got 7"), out.out());
        }
        assertEquals(7, d.get("small"));
    }

    @Test
    @DisplayName("a map or list that holds a proxy of itself prints and hashes, as Python prints {...}")
    void holdsItself() {
        DictProxy<String, Object> d = manager.dict();
        d.put("self", d);
        assertEquals("{self={...}}", d.toString());
        assertEquals(d.hashCode(), d.hashCode());
        ListProxy<Object> l = manager.list();
        l.add(1);
        l.add(l);
        assertEquals("[1, [...]]", l.toString());
        assertEquals(l.hashCode(), l.hashCode());
        d.clear();
        l.clear();
    }

    @Test
    @DisplayName("connecting where nothing listens fails naming the address; a connected manager prints as its address")
    void connectRefused() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Exception e = assertThrows(Exception.class, () -> Manager.connect(new InetSocketAddress("127.0.0.1", port), KEY));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        try (Manager client = Manager.connect(manager.address(), KEY)) {
            assertEquals("<Manager at " + ((InetSocketAddress) manager.address()).getHostString() + ":"
                    + ((InetSocketAddress) manager.address()).getPort() + ">", client.toString());
        }
    }

    @Test
    @DisplayName("a burst of 600 threads of a connected client, one connection each, all get through")
    void remoteBurst() throws Exception {
        try (Manager client = Manager.connect(manager.address(), KEY)) {
            DictProxy<String, Integer> d = client.dict();
            List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
            try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 600; i++) {
                    calls.add(threads.submit(() -> d.merge("k", 1, Integer::sum)));
                }
                for (var call : calls) {
                    call.get(); // a thread whose connection timed out fails here
                }
            }
            assertEquals(600, d.get("k"));
        }
    }

    @Test
    @DisplayName("a remote client connects with address and key and uses the same kinds of proxies")
    void remote() throws Exception {
        DictProxy<String, Object> shared = manager.dict();
        try (Manager client = Manager.connect(manager.address(), KEY)) {
            Counter c = client.create(Counter.class, 1);
            assertEquals(2, c.increment());
            assertEquals(101, c.child().increment());
            DictProxy<String, Integer> d = client.dict();
            d.merge("n", 5, Integer::sum);
            assertEquals(Map.of("n", 5), d.copy());
            assertThrows(IllegalArgumentException.class, () -> c.fail("remote failure"));
            NamespaceProxy ns = client.namespace();
            ns.set("x", 1);
            assertEquals(1, (Integer) ns.get("x"));
            shared.put("p", d); // decoded in the server, it is the server's own map
            @SuppressWarnings("unchecked")
            DictProxy<String, Integer> viaTree = (DictProxy<String, Integer>) shared.get("p");
            assertEquals(Map.of("n", 5), viaTree.copy());
            Queue<String> q = client.queue();
            q.put("x");
            assertEquals("x", q.get(PATIENCE));
            IllegalStateException noShutdown = assertThrows(IllegalStateException.class, client::shutdown);
            assertTrue(noShutdown.getMessage().contains("cannot stop"), noShutdown.getMessage());
        }
    }

    @Test
    @DisplayName("a remote client with the wrong key is refused")
    void remoteWrongKey() {
        assertThrows(AuthenticationException.class, () -> Manager.connect(manager.address(), new byte[] {1, 2, 3}));
    }

    @Test
    @DisplayName("a peer that knows the key but is no manager is refused by connect, naming it; no call waits on it forever")
    void connectToSomethingElse() throws Exception {
        try (Listener notAManager = Listener.builder().address(new InetSocketAddress("127.0.0.1", 0)).authkey(KEY).build()) {
            Thread peer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    Connection c = notAManager.accept();
                    c.send("not a manager");
                    Connection second = notAManager.accept();
                    second.close(); // a peer that hangs up at once
                } catch (InterruptedException | IllegalStateException e) {
                    // the listener closed
                }
            });
            java.io.IOException talks = assertThrows(java.io.IOException.class,
                    () -> Manager.connect(notAManager.address(), KEY));
            assertTrue(talks.getMessage().contains("is not a multiprocessing4j manager"), talks.getMessage());
            java.io.IOException hangsUp = assertThrows(java.io.IOException.class,
                    () -> Manager.connect(notAManager.address(), KEY));
            assertTrue(hangsUp.getMessage().contains("closed the connection before welcoming it"), hangsUp.getMessage());
            peer.join(PATIENCE.toMillis());
        }
    }

    @Test
    @DisplayName("an interrupted caller of a sleeping server method gets InterruptedException; the server goes on")
    void interrupt() throws Exception {
        Counter c = manager.create(Counter.class);
        Thread caller = Thread.currentThread();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            caller.interrupt();
        });
        assertThrows(InterruptedException.class, () -> c.sleep(60_000));
        assertEquals(1, c.increment());
    }

    @Test
    @DisplayName("a manager killed while a caller waits in it: the call fails at once, and so does every later one")
    void serverDies() throws Exception {
        Manager m = Manager.builder().register(Counter.class, args -> new CounterImpl(0))
                .address(new InetSocketAddress("127.0.0.1", 0)).authkey(KEY).build();
        m.start();
        try (Manager client = Manager.connect(m.address(), KEY)) {
            Counter c = m.create(Counter.class);
            Counter remote = client.create(Counter.class);
            Queue<String> q = m.queue();
            DictProxy<String, String> d = m.dict();
            CompletableFuture<Throwable> sleeper = failureOf(() -> c.sleep(60_000));
            CompletableFuture<Throwable> getter = failureOf(q::get);
            CompletableFuture<Throwable> remoteSleeper = failureOf(() -> remote.sleep(60_000));
            Thread.sleep(500);
            m.process().kill();
            Throwable t = sleeper.get(30, TimeUnit.SECONDS);
            assertInstanceOf(ProcessGoneException.class, t);
            assertTrue(t.getMessage().contains(m.name()), t.getMessage());
            assertInstanceOf(ProcessGoneException.class, getter.get(30, TimeUnit.SECONDS));
            Throwable r = remoteSleeper.get(30, TimeUnit.SECONDS);
            assertInstanceOf(ProcessGoneException.class, r);
            assertTrue(r.getMessage().contains(m.address().toString()), r.getMessage());
            assertThrows(ProcessGoneException.class, () -> d.put("a", "b"));
        } finally {
            m.shutdown();
        }
    }

    @Test
    @DisplayName("after shutdown every proxy fails with ProcessGoneException; shutdown twice does nothing")
    void shutdown() throws Exception {
        DictProxy<String, String> d;
        Lock lock;
        try (Manager m = new Manager()) {
            m.start();
            d = m.dict();
            lock = m.lock();
            d.put("a", "b");
            lock.lock();
            lock.unlock();
        }
        assertThrows(ProcessGoneException.class, () -> d.get("a"));
        assertThrows(ProcessGoneException.class, lock::lock);
    }

    private interface Blocking {
        void run() throws Exception;
    }

    private static CompletableFuture<Throwable> failureOf(Blocking call) {
        CompletableFuture<Throwable> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                call.run();
                f.complete(null);
            } catch (Throwable t) {
                f.complete(t);
            }
        });
        return f;
    }

    private static void awaitCount(Manager m, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (m.objectCount() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the manager holds " + m.objectCount() + " objects, not " + expected);
            }
            System.gc();
            Thread.sleep(50);
        }
    }
}
