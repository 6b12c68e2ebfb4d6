package org.multiprocessing4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.CodecException;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.SimpleQueue;

/** {@link Queue} and {@link SimpleQueue} between processes. */
public abstract class QueueKit extends TransportKit {

    /** For a transport's test class, which supplies {@link #context()}. */
    protected QueueKit() {
    }

    /**
     * {@return how many items {@code unboundedFullIsTruthful} puts into an unbounded queue at
     * most, to reach a room its backend may have (the shared-memory transport's ring holds
     * 32,768)}: a transport whose unbounded queues grow ({@code QueueBackend.capacity()} 0) and
     * whose puts are slow may return less
     */
    protected int unboundedProbeItems() {
        return 40_000;
    }

    static void produce(Queue<Object> q, int from, int count) throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            q.put(i);
        }
    }

    static void echo(Queue<Object> in, Queue<Object> out) throws InterruptedException {
        out.put(in.get());
    }

    static void putBig(Queue<Object> q) throws InterruptedException {
        q.put(new byte[8 * 1024 * 1024]);
    }

    static void getForever(Queue<Object> q) throws InterruptedException {
        System.out.println("child waits");
        q.get();
    }

    static void ownQueueThenWait(Queue<Queue<Object>> handOver) throws InterruptedException {
        Queue<Object> mine = new Queue<>();
        mine.put("from the child's own queue");
        handOver.put(mine);
        Thread.sleep(600_000);
    }

    static void crossTraffic(Queue<Object> parents, Queue<Queue<Object>> handOver, int rounds)
            throws InterruptedException {
        Queue<Object> mine = new Queue<>();
        for (int i = 0; i < rounds; i++) {
            mine.put(new byte[4 * 1024 * 1024]);
        }
        handOver.put(mine);
        for (int i = 0; i < rounds; i++) {
            parents.get();
        }
        System.out.println("child took all");
        // Its queue ends with it: stay until the parent has taken everything from it.
        parents.get();
    }

    static void simple(SimpleQueue<String> q) throws InterruptedException {
        q.put("simple " + q.empty());
    }

    @Test
    @DisplayName("items from a child arrive in order, of every kind the codec carries")
    void orderAndValues() throws Exception {
        Queue<Object> q = new Queue<>();
        run(() -> produce(q, 0, 200));
        for (int i = 0; i < 200; i++) {
            assertEquals(i, q.get(PATIENCE));
        }
        q.put(null);
        q.put(new byte[] {1, 2});
        q.put(Map.of("k", List.of(1, "two")));
        assertNull(q.get());
        assertEquals(2, ((byte[]) q.get()).length);
        assertEquals(Map.of("k", List.of(1, "two")), q.get());
        assertTrue(q.empty());
    }

    @Test
    @DisplayName("several producers: nothing lost or duplicated, FIFO per producer")
    void severalProducers() throws Exception {
        Queue<Object> q = new Queue<>();
        Process a = start(() -> produce(q, 0, 300));
        Process b = start(() -> produce(q, 1000, 300));
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            got.add((Integer) q.get(PATIENCE));
        }
        assertTrue(a.join(PATIENCE) && b.join(PATIENCE));
        List<Integer> fromA = got.stream().filter(x -> x < 1000).toList();
        List<Integer> fromB = got.stream().filter(x -> x >= 1000).toList();
        assertEquals(java.util.stream.IntStream.range(0, 300).boxed().toList(), fromA);
        assertEquals(java.util.stream.IntStream.range(1000, 1300).boxed().toList(), fromB);
        assertTrue(q.empty());
    }

    @Test
    @DisplayName("a child consumes what the parent puts and answers on another queue")
    void roundTrip() throws Exception {
        Queue<Object> in = new Queue<>();
        Queue<Object> out = new Queue<>();
        Process p = start(() -> echo(in, out));
        in.put("ping");
        assertEquals("ping", out.get(PATIENCE));
        assertTrue(p.join(PATIENCE));
    }

    @Test
    @DisplayName("joining a child that put a large item nobody consumed does not deadlock")
    void joinBeforeConsume() throws Exception {
        Queue<Object> q = new Queue<>();
        Process p = start(() -> putBig(q));
        assertTrue(p.join(PATIENCE), "joining the producer deadlocked");
        assertEquals(0, p.exitCode());
        assertEquals(8 * 1024 * 1024, ((byte[]) q.get()).length);
    }

    @Test
    @DisplayName("two processes taking large items from each other's queues at once do not deadlock")
    void crossTrafficDoesNotDeadlock() throws Exception {
        int rounds = 6;
        Queue<Object> parents = new Queue<>();
        for (int i = 0; i < rounds; i++) {
            parents.put(new byte[4 * 1024 * 1024]);
        }
        Queue<Queue<Object>> handOver = new Queue<>();
        Process p = start(() -> crossTraffic(parents, handOver, rounds));
        Queue<Object> childs = handOver.get(PATIENCE);
        for (int i = 0; i < rounds; i++) {
            assertEquals(4 * 1024 * 1024, ((byte[]) childs.get(PATIENCE)).length);
        }
        parents.put("taken");
        assertTrue(p.join(PATIENCE), "the exchange deadlocked");
        assertTrue(out().contains("child took all"), out());
    }

    @Test
    @DisplayName("timeouts and the nowait forms raise Empty and Full; a bounded queue blocks")
    void emptyAndFull() throws Exception {
        Queue<Object> q = new Queue<>(2);
        assertThrows(Queue.Empty.class, q::getNowait);
        assertThrows(Queue.Empty.class, () -> q.get(Duration.ofMillis(100)));
        q.put(1);
        q.putNowait(2);
        assertTrue(q.full());
        assertEquals(2, q.qsize());
        assertThrows(Queue.Full.class, () -> q.putNowait(3));
        assertThrows(Queue.Full.class, () -> q.put(3, Duration.ofMillis(100)));
        assertEquals(1, q.getNowait());
        q.put(3, Duration.ofMillis(100));
        assertEquals(2, q.get());
        assertEquals(3, q.get());
        assertFalse(q.full());
    }

    /** Runs {@code waiting} on a thread of its own, interrupts it, and returns how it ended. */
    private static Throwable interruptWhileWaiting(Callable<?> waiting) throws InterruptedException {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                outcome.set(new AssertionError("returned " + waiting.call()));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        Thread.sleep(200);
        t.interrupt();
        t.join(PATIENCE.toMillis());
        return outcome.get();
    }

    /** Each call made with the interrupt flag set: it takes or puts its item, or throws InterruptedException and does not. */
    static void interruptedCalls(Queue<Object> items, Queue<Object> out, int count) throws InterruptedException {
        int got = 0;
        int put = 0;
        for (int i = 0; i < count; i++) {
            Thread.currentThread().interrupt();
            try {
                items.get();
                got++;
            } catch (InterruptedException e) {
                // not taken: the item stays
            }
            Thread.currentThread().interrupt();
            try {
                out.put(new byte[200_000]); // large: its own segment on shared memory
                put++;
            } catch (InterruptedException e) {
                // not put
            }
        }
        Thread.interrupted();
        out.put("got " + got + " put " + put);
    }

    @Test
    @DisplayName("a child's gets and puts of large items with its interrupt flag set take and put them, or throw InterruptedException; none is lost")
    void interruptedLargeItems() throws Exception {
        Queue<Object> items = new Queue<>();
        Queue<Object> out = new Queue<>();
        int count = 10;
        for (int i = 0; i < count; i++) {
            items.put(new byte[200_000]);
        }
        run(() -> interruptedCalls(items, out, count));
        int large = 0;
        Object last;
        while ((last = out.get(PATIENCE)) instanceof byte[] b) {
            assertEquals(200_000, b.length);
            large++;
        }
        String[] counts = String.valueOf(last).split(" ");
        int got = Integer.parseInt(counts[1]);
        int put = Integer.parseInt(counts[3]);
        assertEquals(put, large, "items put with the flag set and items that arrived");
        int left = 0;
        while (true) {
            try {
                items.getNowait();
                left++;
            } catch (Queue.Empty e) {
                break;
            }
        }
        assertEquals(count, got + left, "items taken with the flag set and items left: none may vanish");
    }

    @Test
    @DisplayName("the owner's own get and put, interrupted while they wait, take and put nothing")
    void ownerInterrupted() throws Exception {
        Queue<Object> q = new Queue<>(1);
        Throwable got = interruptWhileWaiting(q::get);
        assertTrue(got instanceof InterruptedException, "get ended with " + got);
        q.put("kept for the next get");
        Throwable put = interruptWhileWaiting(() -> {
            q.put("never put");
            return "put";
        });
        assertTrue(put instanceof InterruptedException, "put ended with " + put);
        assertEquals(1, q.qsize());
        assertEquals("kept for the next get", q.get(PATIENCE));
        Thread waker = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
                q.put("from another thread");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals("from another thread", q.get(PATIENCE));
        waker.join(PATIENCE.toMillis());
        assertThrows(Queue.Empty.class, q::getNowait);
    }

    @Test
    @DisplayName("an unbounded queue takes unboundedProbeItems() items (40,000 by default) or refuses one with full() true and an error naming the remedy")
    void unboundedFullIsTruthful() {
        Queue<Object> q = new Queue<>();
        int put = 0;
        Queue.Full refused = null;
        while (put < unboundedProbeItems() && refused == null) {
            boolean full = q.full();
            try {
                q.putNowait(put);
                assertFalse(full, "full() said true with " + put + " items, yet the next put went in");
                put++;
            } catch (Queue.Full e) {
                // A transport whose unbounded queue has a fixed room (sharedmem's ring).
                assertTrue(full, "an item was refused after " + put + " but full() said false");
                refused = e;
            }
        }
        if (refused != null) {
            assertTrue(refused.getMessage().contains("maxsize"), refused.getMessage());
            assertEquals(0, q.getNowait());
            assertFalse(q.full());
            q.putNowait("again");
        }
        int taken = 0;
        try {
            while (true) {
                q.getNowait();
                taken++;
            }
        } catch (Queue.Empty e) {
            assertEquals(put, taken);
        }
    }

    @Test
    @DisplayName("a bounded queue makes a producing child wait until the parent makes room")
    void backPressure() throws Exception {
        Queue<Object> q = new Queue<>(1);
        Process p = start(() -> produce(q, 0, 5));
        for (int i = 0; i < 5; i++) {
            assertEquals(i, q.get(PATIENCE));
        }
        assertTrue(p.join(PATIENCE));
    }

    @Test
    @DisplayName("an item that cannot be encoded fails in the producer, naming its class")
    void unencodable() {
        Queue<Object> q = new Queue<>();
        CodecException e = assertThrows(CodecException.class, () -> q.put(new Thread()));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        assertTrue(q.empty());
    }

    @Test
    @DisplayName("an item larger than maxFrameSize fails in the producer, and harms no link")
    void oversizeItem() throws Exception {
        Queue<Object> q = new Queue<>();
        int max = context().maxFrameSize();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.put(new byte[max]));
        assertTrue(e.getMessage().contains("maxFrameSize"), e.getMessage());
        run(() -> produce(q, 0, 1));
        assertEquals(0, q.get(PATIENCE));
    }

    @Test
    @DisplayName("close refuses further puts and gets from this process, not from others; joinThread needs close first")
    void closeAndJoinThread() throws Exception {
        Queue<Object> q = new Queue<>();
        assertThrows(IllegalStateException.class, q::joinThread);
        q.put("before");
        q.close();
        q.joinThread();
        q.cancelJoinThread();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.put("after"));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, q::get);
        assertThrows(IllegalStateException.class, () -> q.get(Duration.ZERO));
        assertThrows(IllegalStateException.class, q::getNowait);
        assertEquals(1, q.qsize());
        Queue<Object> answer = new Queue<>();
        run(() -> answer.put(q.get()));
        assertEquals("before", answer.get(PATIENCE));
    }

    @Test
    @DisplayName("a consumer blocked in get is released when its owner dies: ProcessGoneException")
    void ownerDies() throws Exception {
        Queue<Queue<Object>> handOver = new Queue<>();
        Process owner = start(() -> ownQueueThenWait(handOver));
        Queue<Object> childsQueue = handOver.get(PATIENCE);
        assertEquals("from the child's own queue", childsQueue.get(PATIENCE));
        Thread killer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            owner.kill();
        });
        assertThrows(ProcessGoneException.class, childsQueue::get);
        killer.join();
        assertThrows(ProcessGoneException.class, () -> childsQueue.put("x"));
    }

    @Test
    @DisplayName("a child blocked in get on the parent's queue can be killed; the queue stays usable")
    void consumerDies() throws Exception {
        Queue<Object> q = new Queue<>();
        Process p = start(() -> getForever(q));
        awaitOut("child waits");
        p.kill();
        assertTrue(p.join(PATIENCE));
        q.put("still works");
        assertEquals("still works", q.get(PATIENCE));
    }

    @Test
    @DisplayName("SimpleQueue: put in a child, get in the parent")
    void simpleQueue() throws Exception {
        SimpleQueue<String> q = new SimpleQueue<>();
        assertTrue(q.empty());
        run(() -> simple(q));
        assertEquals("simple true", q.get());
    }
}
