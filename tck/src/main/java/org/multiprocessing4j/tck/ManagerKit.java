package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.multiprocessing4j.Barrier;
import org.multiprocessing4j.BoundedSemaphore;
import org.multiprocessing4j.Condition;
import org.multiprocessing4j.DictProxy;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.JoinableQueue;
import org.multiprocessing4j.ListProxy;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.ManagedProxy;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.NamespaceProxy;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.RLock;
import org.multiprocessing4j.Semaphore;
import org.multiprocessing4j.ValueProxy;

/**
 * Managers: every proxy type used by a child process, proxies passed inside items, registered
 * types, a remote client in a JVM that did not start the manager, and a server that dies while
 * callers wait. One manager serves the whole class (its process starts once).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ManagerKit extends TransportKit {
    private static final byte[] KEY = "manager-kit".getBytes(StandardCharsets.UTF_8);

    private Manager manager;
    /** The same manager, connected to as a JVM that did not start it would. */
    private Manager connected;

    /** For a transport's test class, which supplies {@link #context()}. */
    protected ManagerKit() {
    }

    /** A type registered with the kit's manager; its objects live in the server. */
    public interface Tally {
        /** {@return the count after adding one} */
        int add();

        /** {@return a second tally, itself a proxy} */
        Tally sibling();

        /**
         * Sleeps in the server.
         *
         * @param millis how long to sleep
         * @throws InterruptedException if the caller was interrupted meanwhile
         */
        void sleep(long millis) throws InterruptedException;

        /** {@return the server process's name} */
        String where();
    }

    private static final class TallyImpl implements Tally {
        private final AtomicInteger count = new AtomicInteger();
        private Tally sibling;

        @Override
        public int add() {
            return count.incrementAndGet();
        }

        @Override
        public synchronized Tally sibling() {
            if (sibling == null) {
                sibling = new TallyImpl();
            }
            return sibling;
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }

        @Override
        public String where() {
            return Multiprocessing.currentProcess().name();
        }
    }

    @BeforeAll
    final void startManager() throws IOException {
        manager = newManager();
        connected = Manager.connect(manager.address(), KEY);
    }

    @AfterAll
    final void stopManager() {
        connected.close();
        manager.shutdown();
    }

    private Manager newManager() {
        Manager m = Manager.builder().context(context())
                .register(Tally.class, args -> new TallyImpl())
                .address(new InetSocketAddress("127.0.0.1", 0)).authkey(KEY)
                .build();
        m.start();
        return m;
    }

    static void count(DictProxy<String, Integer> counts, int times) {
        for (int i = 0; i < times; i++) {
            counts.merge("n", 1, Integer::sum);
        }
    }

    @Test
    @DisplayName("dict: children count in one map, atomically")
    void dict() throws Exception {
        DictProxy<String, Integer> counts = manager.dict(Map.of("start", 0));
        Process a = start(() -> count(counts, 50));
        Process b = start(() -> count(counts, 50));
        count(counts, 50);
        succeeded(a, b);
        assertEquals(150, counts.get("n"));
        assertEquals(List.of("start", "n"), new ArrayList<>(counts.keySet()), "insertion order");
        assertEquals(Map.of("start", 0, "n", 150), counts);
    }

    @SuppressWarnings("unchecked") // on purpose: an element of the wrong type
    static void setUnchecked(List<?> list, Object element) {
        ((List<Object>) list).set(0, element);
    }

    @Test
    @DisplayName("list and array: a child changes them; an array keeps its size and element type")
    void listAndArray() throws Exception {
        ListProxy<String> list = manager.list(List.of("a"));
        ListProxy<Integer> array = manager.array(int.class, List.of(1, 2, 3));
        run(() -> {
            list.add("b");
            list.add(0, "z");
            array.set(1, 20);
            assertThrows(UnsupportedOperationException.class, () -> array.add(4));
            assertThrows(IllegalArgumentException.class, () -> setUnchecked(array, "x"));
        });
        assertEquals(List.of("z", "a", "b"), list);
        assertEquals(List.of(1, 20, 3), array.copy());
        UnsupportedOperationException fixed = assertThrows(UnsupportedOperationException.class, () -> array.add(4));
        assertTrue(String.valueOf(fixed.getMessage()).contains("length is fixed"), fixed.getMessage());
        list.sort(null);
        assertEquals("[a, b, z]", list.toString());
    }

    @Test
    @DisplayName("namespace and value: a child sets, the parent reads; a missing name is NoSuchElementException")
    void namespaceAndValue() throws Exception {
        NamespaceProxy ns = manager.namespace();
        ValueProxy<String> v = manager.value("before");
        run(() -> {
            ns.set("x", 42);
            ns.set("y", null);
            v.set(v.get() + " and after");
        });
        assertEquals(Integer.valueOf(42), ns.get("x"));
        assertTrue(ns.has("y"));
        assertNull(ns.get("y"));
        assertThrows(NoSuchElementException.class, () -> ns.get("z"));
        assertEquals("Namespace(x=42, y=null)", ns.toString());
        assertEquals("before and after", v.get());
    }

    static void consume(JoinableQueue<String> jobs, Queue<String> done) throws InterruptedException {
        String job = jobs.get();
        done.put(job.toUpperCase());
        jobs.taskDone();
    }

    @Test
    @DisplayName("queue and joinable queue: owned by the server, used by a child")
    void queues() throws Exception {
        queues(manager);
    }

    @Test
    @DisplayName("remote queue and joinable queue: a connected JVM makes them, its child uses them")
    void remoteQueues() throws Exception {
        queues(connected);
    }

    private void queues(Manager m) throws Exception {
        JoinableQueue<String> jobs = m.joinableQueue();
        Queue<String> done = m.queue(1);
        Process p = start(() -> consume(jobs, done));
        jobs.put("job");
        jobs.join();
        assertEquals("JOB", done.get(PATIENCE));
        succeeded(p);
    }

    static void underLocks(Lock lock, RLock rlock, ListProxy<String> log) {
        try (var _ = lock.hold(); var _ = rlock.hold(); var _ = rlock.hold()) {
            log.add("child held both");
        }
    }

    @Test
    @DisplayName("lock and rlock: a child holds them; the parent waits for it")
    void locks() throws Exception {
        locks(manager);
    }

    @Test
    @DisplayName("remote lock and rlock: a connected JVM makes them, its child holds them")
    void remoteLocks() throws Exception {
        locks(connected);
    }

    private void locks(Manager m) throws Exception {
        Lock lock = m.lock();
        RLock rlock = m.rlock();
        ListProxy<String> log = m.list();
        lock.lock();
        long token = lock.fencingToken();
        Process p = start(() -> underLocks(lock, rlock, log));
        Thread.sleep(200);
        assertTrue(log.isEmpty(), "the child got in while the lock was held");
        lock.unlock();
        succeeded(p);
        assertEquals(List.of("child held both"), log);
        assertFalse(lock.isLocked());
        assertThrows(IllegalStateException.class, lock::fencingToken);
        try (var _ = lock.hold()) {
            assertTrue(lock.fencingToken() > token + 1, "the child held the lock in between: " + token + ", "
                    + lock.fencingToken());
        }
    }

    @Test
    @DisplayName("semaphore and bounded semaphore: a child takes and gives permits; a release past the bound fails")
    void semaphores() throws Exception {
        semaphores(manager);
    }

    @Test
    @DisplayName("remote semaphores: a connected JVM makes them, its child takes and gives permits")
    void remoteSemaphores() throws Exception {
        semaphores(connected);
    }

    private void semaphores(Manager m) throws Exception {
        Semaphore s = m.semaphore(2);
        BoundedSemaphore b = m.boundedSemaphore(1);
        run(() -> {
            s.acquire();
            s.acquire();
            assertFalse(s.acquire(false));
            s.release();
            s.release();
            b.acquire();
            b.release();
            assertThrows(IllegalStateException.class, b::release);
        });
        assertEquals(2, s.getValue());
        assertTrue(s.acquire(false));
        assertEquals(1, s.getValue());
    }

    static void waitFor(Condition c, Event ready, ListProxy<String> log) throws InterruptedException {
        try (var _ = c.hold()) {
            ready.set();
            assertTrue(c.await(PATIENCE));
            log.add("woken");
        }
    }

    @Test
    @DisplayName("condition and event: a child waits, the parent signals")
    void conditionAndEvent() throws Exception {
        conditionAndEvent(manager);
    }

    @Test
    @DisplayName("remote condition and event: a connected JVM makes them, its child waits, it signals")
    void remoteConditionAndEvent() throws Exception {
        conditionAndEvent(connected);
    }

    private void conditionAndEvent(Manager m) throws Exception {
        Condition c = m.condition();
        Event ready = m.event();
        ListProxy<String> log = m.list();
        Process p = start(() -> waitFor(c, ready, log));
        assertTrue(ready.await(PATIENCE));
        try (var _ = c.hold()) {
            c.signal();
        }
        succeeded(p);
        assertEquals(List.of("woken"), log);
    }

    @Test
    @DisplayName("barrier: the parent and a child pass it together")
    void barrier() throws Exception {
        barrier(manager);
    }

    @Test
    @DisplayName("remote barrier: a connected JVM and its child pass it together")
    void remoteBarrier() throws Exception {
        barrier(connected);
    }

    private void barrier(Manager m) throws Exception {
        Barrier b = m.barrier(2);
        Process p = start(() -> b.await());
        b.await(PATIENCE);
        succeeded(p);
    }

    @Test
    @DisplayName("registered type: a child calls it and its nested proxy; calls run in the server")
    void registeredType() throws Exception {
        Tally t = manager.create(Tally.class);
        Tally sibling = t.sibling();
        run(() -> {
            assertEquals(1, t.add());
            assertEquals(1, sibling.add());
            assertEquals(t.sibling(), sibling);
        });
        assertEquals(2, t.add());
        assertEquals(manager.name(), t.where());
        assertInstanceOf(ManagedProxy.class, t);
    }

    static void useReceived(Queue<Object> q) throws InterruptedException {
        @SuppressWarnings("unchecked")
        DictProxy<String, String> d = (DictProxy<String, String>) q.get();
        Tally t = (Tally) q.get();
        d.put("from", "child");
        t.add();
    }

    @Test
    @DisplayName("proxies inside queue items and inside a managed map work where they arrive")
    void proxiesInsideItems() throws Exception {
        Queue<Object> q = new Queue<>();
        DictProxy<String, String> d = manager.dict();
        Tally t = manager.create(Tally.class);
        DictProxy<String, Object> holder = manager.dict();
        holder.put("tally", t);
        Process p = start(() -> useReceived(q));
        q.put(d);
        q.put(t);
        succeeded(p);
        assertEquals("child", d.get("from"));
        Tally again = (Tally) holder.get("tally");
        assertEquals(2, again.add());
    }

    static void holdForever(Lock lock, Semaphore s, Event held) throws InterruptedException {
        lock.acquire();
        s.acquire();
        held.set();
        Thread.sleep(600_000);
    }

    @Test
    @DisplayName("remote: a client dies holding a lock and a bounded semaphore's permit; they pass to the waiters, who are told")
    void remoteHolderDies() throws Exception {
        Lock lock = connected.lock();
        Semaphore s = connected.boundedSemaphore(1);
        Event held = connected.event();
        Process p = start(() -> holdForever(lock, s, held));
        assertTrue(held.await(PATIENCE));
        assertFalse(lock.acquire(false));
        CompletableFuture<Boolean> waiter = inBackground(() -> lock.acquire(PATIENCE));
        CompletableFuture<Boolean> permit = inBackground(() -> s.acquire(PATIENCE));
        Thread.sleep(200);
        p.kill();
        assertTrue(waiter.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(permit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        awaitTrue("the warning", () -> err().contains("died holding it") && err().contains("remote client"));
        lock.release();
        s.release();
        assertFalse(lock.isLocked());
    }

    @Test
    @DisplayName("remote: a waiting call blocks only its caller; timeouts and interrupts work")
    void remoteWaits() throws Exception {
        Queue<String> q = connected.queue();
        Lock lock = connected.lock();
        CompletableFuture<String> getter = inBackground(q::get);
        DictProxy<String, Integer> d = connected.dict();
        d.put("a", 1);
        assertTrue(lock.acquire(false));
        assertFalse(lock.acquire(Duration.ofMillis(100)));
        CompletableFuture<Object> interrupted = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                interrupted.complete(lock.acquire(PATIENCE));
            } catch (InterruptedException e) {
                interrupted.complete(e);
            } catch (Throwable e) {
                interrupted.completeExceptionally(e);
            }
        });
        Thread.sleep(200);
        t.interrupt();
        assertInstanceOf(InterruptedException.class, interrupted.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        lock.release();
        assertFalse(lock.isLocked());
        q.put("x");
        assertEquals("x", getter.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertThrows(Queue.Empty.class, () -> q.get(Duration.ofMillis(50)));
        assertEquals(Map.of("a", 1), d);
    }

    @Test
    @DisplayName("remote: a tree's lock read through a map is usable by a client; a client's queue stored there is the tree's")
    void remoteSharing() throws Exception {
        DictProxy<String, Object> d = manager.dict();
        Lock treeLock = manager.lock();
        d.put("lock", treeLock);
        DictProxy<String, Object> rd = connected.dict();
        rd.put("d", d);
        @SuppressWarnings("unchecked")
        DictProxy<String, Object> seenRemotely = (DictProxy<String, Object>) rd.get("d");
        Lock seen = (Lock) seenRemotely.get("lock");
        treeLock.lock();
        assertFalse(seen.acquire(false));
        treeLock.unlock();
        assertTrue(seen.acquire(false));
        assertTrue(treeLock.isLocked());
        seen.release();
        Queue<String> rq = connected.queue();
        d.put("queue", rq);
        @SuppressWarnings("unchecked")
        Queue<String> treeQ = (Queue<String>) d.get("queue");
        treeQ.put("from the tree");
        assertEquals("from the tree", rq.get(PATIENCE));
    }

    static void useRemoteFromQueue(Queue<Object> q, ListProxy<String> known) throws InterruptedException {
        @SuppressWarnings("unchecked")
        DictProxy<String, String> d = (DictProxy<String, String>) q.get();
        Lock lock = (Lock) q.get();
        try (var _ = lock.hold()) {
            d.put("child", "was here");
        }
        known.add("done");
    }

    @Test
    @DisplayName("remote: proxies passed through a queue work in a process that knows the manager's key")
    void remoteProxiesThroughQueue() throws Exception {
        Queue<Object> q = new Queue<>();
        ListProxy<String> known = connected.list(); // captured: the child gets the key with it
        Process p = start(() -> useRemoteFromQueue(q, known));
        DictProxy<String, String> d = connected.dict();
        q.put(d);
        q.put(connected.lock());
        succeeded(p);
        assertEquals("was here", d.get("child"));
        assertEquals(List.of("done"), known);
    }

    static void remoteClient(int port, ListProxy<String> log) throws Exception {
        try (Manager m = Manager.connect(new InetSocketAddress("127.0.0.1", port), KEY)) {
            DictProxy<String, Integer> d = m.dict();
            d.put("a", 1);
            Tally t = m.create(Tally.class);
            t.add();
            log.add("remote " + d + " " + t.add() + " in " + t.where());
        }
    }

    @Test
    @DisplayName("remote: a JVM that did not start the manager connects with address and key")
    void remote() throws Exception {
        ListProxy<String> log = manager.list();
        int port = ((InetSocketAddress) manager.address()).getPort();
        run(() -> remoteClient(port, log));
        assertEquals(List.of("remote {a=1} 2 in " + manager.name()), log);
    }

    @Test
    @DisplayName("a manager killed while callers wait in it (a queue's get, a sleeping method): they fail at once")
    void serverDies() throws Exception {
        Manager m = newManager();
        try {
            Queue<String> q = m.queue();
            Tally t = m.create(Tally.class);
            CompletableFuture<Object> getter = inBackground(q::get);
            CompletableFuture<Object> sleeper = inBackground(() -> {
                t.sleep(600_000);
                return null;
            });
            Thread.sleep(300);
            m.process().kill();
            for (CompletableFuture<Object> f : List.of(getter, sleeper)) {
                try {
                    f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    throw new AssertionError("a call to a dead manager returned");
                } catch (java.util.concurrent.ExecutionException e) {
                    assertInstanceOf(ProcessGoneException.class, e.getCause());
                }
            }
            ProcessGoneException later = assertThrows(ProcessGoneException.class, t::add);
            assertTrue(later.getMessage().contains(m.name()), later.getMessage());
        } finally {
            m.shutdown();
        }
    }

    @Test
    @DisplayName("after shutdown() the manager's proxies fail with ProcessGoneException")
    void afterShutdown() throws Exception {
        DictProxy<String, String> d;
        try (Manager m = newManager()) {
            d = m.dict();
            d.put("k", "v");
        }
        assertThrows(ProcessGoneException.class, () -> d.get("k"));
        run(() -> assertThrows(ProcessGoneException.class, () -> d.put("k", "from a child")));
    }

}
