package org.multiprocessing4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serial;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Condition;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.Semaphore;
import org.multiprocessing4j.spi.EventBackend;
import org.multiprocessing4j.spi.LockBackend;
import org.multiprocessing4j.spi.NativePrimitives;
import org.multiprocessing4j.spi.QueueBackend;
import org.multiprocessing4j.spi.Transport;

@DisplayName("a transport's native primitives replace the broker's, kind by kind")
class NativePrimitivesTest {

    /** A transport that implements locks, queues and events itself, in this process, and records what it made. */
    static final class FakeNatives implements NativePrimitives {
        final List<String> asked = new CopyOnWriteArrayList<>();
        final List<FakeLock> locks = new CopyOnWriteArrayList<>();
        final List<FakeQueue> queues = new CopyOnWriteArrayList<>();
        final List<FakeEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public LockBackend lock(boolean reentrant) {
            asked.add("lock");
            FakeLock lock = new FakeLock(new java.util.concurrent.Semaphore(1), new AtomicInteger());
            locks.add(lock);
            return lock;
        }

        @Override
        public QueueBackend queue(int maxsize) {
            asked.add("queue");
            FakeQueue queue = new FakeQueue(new LinkedBlockingQueue<>(), new AtomicInteger());
            queues.add(queue);
            return queue;
        }

        @Override
        public EventBackend event() {
            asked.add("event");
            FakeEvent event = new FakeEvent(new AtomicBoolean());
            events.add(event);
            return event;
        }

        @Override
        public org.multiprocessing4j.spi.@Nullable SemaphoreBackend semaphore(int value, boolean bounded) {
            asked.add("semaphore");
            return null;
        }
    }

    /** A plain lock of this process; counts releaseAll calls, which only a condition makes. */
    record FakeLock(java.util.concurrent.Semaphore permit, AtomicInteger releasedAll) implements LockBackend {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public boolean acquire(long timeoutNanos) throws InterruptedException {
            return timeoutNanos < 0 ? acquireForever() : permit.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
        }

        private boolean acquireForever() throws InterruptedException {
            permit.acquire();
            return true;
        }

        @Override
        public void release() {
            if (permit.availablePermits() > 0) {
                throw new IllegalStateException("release of an unlocked Lock");
            }
            permit.release();
        }

        @Override
        public boolean isLocked() {
            return permit.availablePermits() == 0;
        }

        @Override
        public boolean isHeldByCurrentThread() {
            return isLocked();
        }

        @Override
        public int releaseAll() {
            releasedAll.incrementAndGet();
            release();
            return 1;
        }

        @Override
        public void reacquire(int holds) {
            permit.acquireUninterruptibly();
        }
    }

    /** An unbounded queue of this process; counts puts. */
    record FakeQueue(LinkedBlockingQueue<byte[]> items, AtomicInteger puts) implements QueueBackend {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public void put(byte[] item, long timeoutNanos) {
            puts.incrementAndGet();
            items.add(item);
        }

        @Override
        public byte[] get(long timeoutNanos) throws InterruptedException {
            byte[] item = timeoutNanos < 0 ? items.take() : items.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new Queue.Empty("empty");
            }
            return item;
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public void taskDone() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void join() {
            throw new UnsupportedOperationException();
        }
    }

    /** A flag of this process; waits only by polling, enough for a test. */
    record FakeEvent(AtomicBoolean flag) implements EventBackend {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public void set() {
            flag.set(true);
        }

        @Override
        public void clear() {
            flag.set(false);
        }

        @Override
        public boolean isSet() {
            return flag.get();
        }

        @Override
        public boolean await(long timeoutNanos) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (!flag.get() && (timeoutNanos < 0 || deadline - System.nanoTime() > 0)) {
                Thread.sleep(1);
            }
            return flag.get();
        }
    }

    private final FakeNatives natives = new FakeNatives();
    private final Transport transport = new Transport() {
        @Override
        public NativePrimitives nativePrimitives() {
            return natives;
        }
    };

    @Test
    @DisplayName("Lock, Queue and Event use the transport's backends")
    void nativeBackends() throws Exception {
        NativePrimitives offered = transport.nativePrimitives();
        assertTrue(offered != null);
        try (var _ = Primitives.useForTests(offered)) {
            Lock lock = new Lock();
            Queue<String> queue = new Queue<>();
            Event event = new Event();
            assertEquals(List.of("lock", "queue", "event"), natives.asked);

            assertTrue(lock.tryLock());
            assertTrue(natives.locks.getFirst().isLocked(), "the lock took the fake's permit");
            assertFalse(lock.tryLock());
            lock.release();
            assertFalse(natives.locks.getFirst().isLocked());
            assertThrows(IllegalStateException.class, lock::release, "the fake's error reaches the caller");

            queue.put("through the fake");
            assertEquals(1, natives.queues.getFirst().puts().get());
            assertEquals(1, queue.qsize());
            assertEquals("through the fake", queue.get(Duration.ofSeconds(5)));
            assertThrows(Queue.Empty.class, queue::getNowait);

            assertFalse(event.await(Duration.ofMillis(5)));
            natives.events.getFirst().set();
            assertTrue(event.isSet(), "the event reads the fake's flag");
            assertTrue(event.await(Duration.ofSeconds(5)));
        }
    }

    @Test
    @DisplayName("a kind the transport does not provide is the broker's, also a condition over a native lock")
    void brokerFallback() throws Exception {
        try (var _ = Primitives.useForTests(natives)) {
            Semaphore semaphore = new Semaphore(2);
            assertEquals(List.of("semaphore"), natives.asked, "the transport was asked, and said no");
            assertTrue(semaphore.acquire(false));
            assertEquals(1, semaphore.getValue());
            semaphore.release();
            assertEquals(2, semaphore.getValue());
            assertTrue(semaphore.toString().contains(ProcessRuntime.current().name()),
                    "hosted by this process's broker: " + semaphore);

            Lock lock = new Lock();
            Condition condition = new Condition(lock);
            FakeLock fake = natives.locks.getFirst();
            try (var _ = condition.hold()) {
                assertFalse(condition.await(Duration.ofMillis(20)), "nobody signals");
                assertEquals(1, fake.releasedAll().get(), "the broker's condition let the native lock go");
                assertTrue(fake.isLocked(), "and took it back");
                condition.signalAll();
            }
            assertFalse(fake.isLocked());
        }
    }
}
