package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.BufferTooShortException;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.shm.ShmDirectory;

@DisplayName("the shared-memory queue: ring, sizes, bounds, and the marks of dead processes")
class SharedQueueTest {
    /** A process that does not exist: a pid above any pid_max. */
    static final long DEAD = (1L << 32) | 0x7FFF_FFF0L;
    private static final long PATIENCE = 60_000_000_000L;

    private static byte[] item(int length, int seed) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    /** {@return the tree's segment files now} */
    static Set<String> treeFiles() throws Exception {
        return new HashSet<>(SegmentsTest.filesOfTree(ProcessRuntime.current().root().pid()));
    }

    /**
     * {@return the tree's files made since {@code before} and still there}: not a count, since an
     * earlier test's queue, garbage-collected, may free its file at any moment
     */
    static Set<String> added(Set<String> before) throws Exception {
        Set<String> now = treeFiles();
        now.removeAll(before);
        return now;
    }

    private static long slot(SharedQueue q, long pos, int capacity) {
        return QueueDescriptor.slot(pos, capacity);
    }

    @Test
    @DisplayName("Queue, SimpleQueue and JoinableQueue live in shared memory on this transport")
    void native_() {
        assertTrue(new Queue<>().toString().contains("mp4j-"), new Queue<>().toString());
        assertTrue(new Queue<>(3).toString().contains("mp4j-"));
        assertNull(SharedQueue.create(QueueDescriptor.MAX_CAPACITY + 1), "a larger queue is the broker's");
    }

    @Test
    @DisplayName("items of every size up to a side segment's round-trip; side segments are unlinked when taken")
    void sizes() throws Exception {
        SharedQueue q = SharedQueue.create(4);
        Set<String> before = treeFiles();
        int[] lengths = {0, 1, SlotDescriptor.INLINE_MAX, SlotDescriptor.INLINE_MAX + 1, 1 << 20};
        for (int i = 0; i < lengths.length; i++) {
            q.put(item(lengths[i], i), -1);
            assertArrayEquals(item(lengths[i], i), q.get(-1));
        }
        assertEquals(Set.of(), added(before), "a side segment was left behind");
    }

    @Test
    @DisplayName("items larger than a slot go through reusable buffers, and through a side segment once the buffers that fit are taken")
    void sideArea() throws Exception {
        SharedQueue q = SharedQueue.create(16);
        Set<String> before = treeFiles();
        int[] lengths = {SlotDescriptor.INLINE_MAX + 1, 4096, 4097, 65_536, 65_537, 1 << 20};
        for (int lap = 0; lap < 3; lap++) {
            for (int i = 0; i < lengths.length; i++) {
                q.put(item(lengths[i], i + lap), 0);
            }
            assertEquals(Set.of(), added(before), "an item that fits a free buffer went to a segment of its own");
            for (int i = 0; i < lengths.length; i++) {
                assertArrayEquals(item(lengths[i], i + lap), q.get(0));
            }
        }
        int large = SideDescriptor.count(16, 2);
        for (int i = 0; i <= large; i++) {
            q.put(item(100_000, i), 0);
        }
        assertEquals(1, added(before).size(), "the item beyond the large buffers did not get a segment of its own");
        for (int i = 0; i <= large; i++) {
            assertArrayEquals(item(100_000, i), q.get(0));
        }
        assertEquals(Set.of(), added(before), "a side segment was left behind");
    }

    @Test
    @DisplayName("pollInto copies an item of each path (slot, side buffer, side segment) to the offset; one that does not fit is taken, carried whole, and frees its buffer or segment")
    void pollInto() throws Exception {
        SharedQueue q = SharedQueue.create(16);
        Set<String> before = treeFiles();
        byte[] buf = new byte[(1 << 20) + 16];
        assertEquals(-1, q.pollInto(buf, 0), "an empty queue");
        int large = SideDescriptor.count(16, 2);
        for (int i = 0; i < large; i++) {
            q.put(item(200_000, 50 + i), 0);
        }
        int[] lengths = {0, 5, SlotDescriptor.INLINE_MAX, SlotDescriptor.INLINE_MAX + 1, 60_000, 1 << 20};
        for (int i = 0; i < lengths.length; i++) {
            q.put(item(lengths[i], i + 1), 0);
        }
        assertEquals(1, added(before).size(), "the 1 MiB item did not go to a segment of its own");
        for (int i = 0; i < large; i++) {
            assertEquals(200_000, q.pollInto(buf, 3));
            assertArrayEquals(item(200_000, 50 + i), Arrays.copyOfRange(buf, 3, 200_003));
        }
        for (int i = 0; i < lengths.length; i++) {
            Arrays.fill(buf, (byte) -1);
            assertEquals(lengths[i], q.pollInto(buf, 16));
            assertArrayEquals(item(lengths[i], i + 1), Arrays.copyOfRange(buf, 16, 16 + lengths[i]));
            assertEquals(-1, buf[15], "written before the offset");
            if (16 + lengths[i] < buf.length) {
                assertEquals(-1, buf[16 + lengths[i]], "written after the item");
            }
        }
        assertEquals(Set.of(), added(before), "a side segment was left behind");

        byte[] small = new byte[100];
        q.put(item(101, 8), 0);
        q.put(item(60_000, 9), 0);
        q.put(item(1 << 20, 10), 0);
        q.put(item(3, 11), 0);
        for (int seed = 8; seed <= 10; seed++) {
            int expected = seed == 8 ? 101 : seed == 9 ? 60_000 : 1 << 20;
            int s = seed;
            var tooShort = assertThrows(BufferTooShortException.class, () -> q.pollInto(small, 0));
            assertArrayEquals(item(expected, s), tooShort.message());
            assertArrayEquals(new byte[100], small, "an item that does not fit was written");
        }
        assertEquals(3, q.pollInto(small, 97), "an item that exactly fits");
        assertArrayEquals(item(3, 11), Arrays.copyOfRange(small, 97, 100));
        assertEquals(0, q.size());
        assertEquals(Set.of(), added(before), "a side segment was left behind");
        long owners = QueueDescriptor.side(16) + SideDescriptor.OWNERS;
        for (int b = 0; b < SideDescriptor.total(16); b++) {
            assertEquals(0, Words.getLong(q.block.memory(), owners + 8L * b), "side buffer " + b + " was not freed");
        }
        java.lang.ref.Reference.reachabilityFence(q);
    }

    @Test
    @DisplayName("a side buffer left by a dead producer is taken over when no other is free")
    void deadProducersBuffer() throws Exception {
        SharedQueue q = SharedQueue.create(1);
        MemorySegment m = q.block.memory();
        long owners = QueueDescriptor.side(1) + SideDescriptor.OWNERS;
        for (int b = 0; b < SideDescriptor.total(1); b++) {
            Words.setLong(m, owners + 8L * b, DEAD);
        }
        Set<String> before = treeFiles();
        q.put(item(1000, 7), 0);
        assertEquals(Set.of(), added(before), "the item went to a segment of its own: no dead buffer was taken over");
        assertEquals(SideDescriptor.QUEUED, Words.getLong(m, owners), "the smallest buffer was not the one taken over");
        assertArrayEquals(item(1000, 7), q.get(0));
        assertEquals(0, Words.getLong(m, owners), "the buffer was not freed once its item was taken");
        java.lang.ref.Reference.reachabilityFence(q); // its memory was read through m above
    }

    @Test
    @DisplayName("a bounded queue holds exactly maxsize items, even one; a put that fails unlinks its side segment")
    void bounds() throws Exception {
        SharedQueue one = SharedQueue.create(1);
        one.put(item(3, 1), 0);
        assertEquals(1, one.size());
        Set<String> before = treeFiles();
        assertThrows(Queue.Full.class, () -> one.put(item(1000, 2), 0));
        assertThrows(Queue.Full.class, () -> one.put(item(1000, 2), 30_000_000L));
        assertEquals(Set.of(), added(before), "the side segment of an item never put was left behind");
        assertArrayEquals(item(3, 1), one.get(0));
        assertThrows(Queue.Empty.class, () -> one.get(0));
        assertThrows(Queue.Empty.class, () -> one.get(30_000_000L));
        for (int lap = 0; lap < 5; lap++) {
            one.put(item(2, lap), 0);
            assertArrayEquals(item(2, lap), one.get(0));
        }
    }

    @Test
    @DisplayName("an unbounded queue holds UNBOUNDED_CAPACITY items, then a put waits for room (Python's never does)")
    void unbounded() throws Exception {
        SharedQueue q = SharedQueue.create(0);
        for (int i = 0; i < QueueDescriptor.UNBOUNDED_CAPACITY; i++) {
            q.put(item(4, i), 0);
        }
        assertEquals(QueueDescriptor.UNBOUNDED_CAPACITY, q.size());
        assertEquals(QueueDescriptor.UNBOUNDED_CAPACITY, q.capacity(), "Queue.full() would not say it is full");
        Queue.Full full = assertThrows(Queue.Full.class, () -> q.put(item(4, 0), 0));
        assertTrue(full.getMessage().contains("at most " + QueueDescriptor.UNBOUNDED_CAPACITY + " items at once"), full.getMessage());
        assertTrue(full.getMessage().contains("new Queue<>(Integer.MAX_VALUE)"), full.getMessage());

        // A put that may wait warns once it has waited its patience, then goes in when room comes.
        java.util.concurrent.CompletableFuture<byte[]> taken = new java.util.concurrent.CompletableFuture<>();
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(500);
                taken.complete(q.get(0));
            } catch (InterruptedException | RuntimeException e) {
                taken.completeExceptionally(e);
            }
        });
        assertFalse(q.warned());
        q.put(item(4, 9), 0, item(4, 9).length, -1, 50_000_000L);
        consumer.join();
        assertArrayEquals(item(4, 0), taken.get());
        assertTrue(q.warned(), "a put that waited past its patience did not warn");
        assertEquals(QueueDescriptor.UNBOUNDED_CAPACITY, q.size());
        for (int i = 1; i < QueueDescriptor.UNBOUNDED_CAPACITY; i++) {
            assertArrayEquals(item(4, i), q.get(0));
        }
        assertArrayEquals(item(4, 9), q.get(0));
    }

    @Test
    @DisplayName("a queue whose handle was never encoded is freed once garbage-collected, its items' own segments too; an encoded one stays")
    void unreachableQueueIsFreed() throws Exception {
        List<String> before = SegmentsTest.filesOfTree(ProcessRuntime.current().root().pid());
        String[] made = makeTwoQueues(); // {the unencoded queue's file, the encoded one's}
        List<String> withQueues = SegmentsTest.filesOfTree(ProcessRuntime.current().root().pid());
        List<String> bigItems = withQueues.stream()
                .filter(n -> !before.contains(n) && !n.equals(made[0]) && !n.equals(made[1])).toList();
        assertEquals(1, bigItems.size(), "the 2 MiB item's own segment: " + bigItems);
        Path dir = ShmDirectory.standard();

        long deadline = System.nanoTime() + PATIENCE;
        while (Files.exists(dir.resolve(made[0])) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertFalse(Files.exists(dir.resolve(made[0])), "an unreachable queue that never left its creator kept its file");
        assertFalse(Files.exists(dir.resolve(bigItems.get(0))), "its item's own segment was left behind");
        assertTrue(Files.exists(dir.resolve(made[1])), "a queue whose handle was encoded was freed");
    }

    /** Makes two queues with items and drops them: one never encoded, one encoded once. */
    private static String[] makeTwoQueues() throws Exception {
        SharedQueue unencoded = SharedQueue.create(0);
        unencoded.put(item(8, 1), -1);
        unencoded.put(item(2 << 20, 2), -1); // over 1 MiB: a segment of its own
        assertTrue(unencoded.freedWhenUnreachable());
        SharedQueue encoded = SharedQueue.create(0);
        encoded.put(item(8, 3), -1);
        try (var out = new java.io.ObjectOutputStream(java.io.OutputStream.nullOutputStream())) {
            out.writeObject(encoded);
        }
        assertFalse(encoded.freedWhenUnreachable());
        return new String[] {unencoded.block.segment(), encoded.block.segment()};
    }

    @Test
    @DisplayName("taskDone and join count the items put")
    void tasks() throws Exception {
        SharedQueue q = SharedQueue.create(0);
        q.join();
        q.put(item(1, 1), -1);
        q.put(item(1, 2), -1);
        q.get(-1);
        q.taskDone();
        Thread joiner = Thread.ofPlatform().start(() -> {
            try {
                q.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        joiner.join(100);
        assertTrue(joiner.isAlive(), "join returned with a task unfinished");
        q.get(-1);
        q.taskDone();
        joiner.join(PATIENCE / 1_000_000);
        assertTrue(!joiner.isAlive(), "join did not return when every task was done");
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    @Test
    @DisplayName("a producer dead between its claim and moving the tail: the next producer claims the slot")
    void producerDiedClaiming() throws Exception {
        SharedQueue q = SharedQueue.create(2);
        MemorySegment m = q.block.memory();
        Words.setLong(m, slot(q, 0, 2) + SlotDescriptor.OWNER, DEAD);
        q.put(item(5, 1), PATIENCE);
        assertArrayEquals(item(5, 1), q.get(0));
    }

    @Test
    @DisplayName("a producer dead before publishing: consumers skip its position, waiting or not")
    void producerDiedWriting() throws Exception {
        SharedQueue q = SharedQueue.create(2);
        MemorySegment m = q.block.memory();
        for (long timeout : new long[] {PATIENCE, 0}) {
            Ring ring = new Ring(m, 2, q.block, -1, false);
            long pos = ring.claimPut();
            Words.setLong(m, slot(q, pos, 2) + SlotDescriptor.OWNER, DEAD);
            q.put(item(5, 2), 0);
            assertArrayEquals(item(5, 2), q.get(timeout));
            assertEquals(0, q.size());
        }
    }

    @Test
    @DisplayName("a producer dead after publishing, before letting go of the slot: its item is taken")
    void producerDiedPublishing() throws Exception {
        SharedQueue q = SharedQueue.create(2);
        MemorySegment m = q.block.memory();
        q.put(item(5, 3), 0);
        Words.setLong(m, slot(q, 0, 2) + SlotDescriptor.OWNER, DEAD);
        assertArrayEquals(item(5, 3), q.get(PATIENCE));
    }

    @Test
    @DisplayName("a consumer dead after moving the head, before freeing the slot: a producer frees it")
    void consumerDiedReading() throws Exception {
        SharedQueue q = SharedQueue.create(1);
        MemorySegment m = q.block.memory();
        q.put(item(5, 4), 0);
        long pos = new Ring(m, 1, q.block, -1, false).claimGet();
        Words.setLong(m, slot(q, pos, 1) + SlotDescriptor.OWNER, DEAD);
        assertThrows(Queue.Empty.class, () -> q.get(0));
        q.put(item(5, 5), PATIENCE);
        assertArrayEquals(item(5, 5), q.get(0));
    }

    /** Writes an item into the slot of {@code pos} and publishes it there, as a producer would before moving the tail. */
    private static void publishWithoutTail(SharedQueue q, MemorySegment m, long pos, int capacity, byte[] item) {
        long slot = slot(q, pos, capacity);
        Payload.of(item, 0, item.length, new SideArea(m, QueueDescriptor.side(capacity), capacity)).writeTo(m, slot);
        Words.setLong(m, slot + SlotDescriptor.SEQUENCE, 2 * pos + 1 - Ring.base(slot));
    }

    @Test
    @DisplayName("a pipe's solo ring: items of every size in order, full and empty as a queue's, its turns free between operations")
    void soloRing() throws Exception {
        SharedQueue q = SharedQueue.createSolo(2);
        MemorySegment m = q.block.memory();
        Set<String> before = treeFiles();
        int[] lengths = {0, 8, SlotDescriptor.INLINE_MAX + 1, 1 << 20};
        for (int lap = 0; lap < 3; lap++) {
            for (int i = 0; i < lengths.length; i += 2) {
                q.put(item(lengths[i], i + lap), 0);
                q.put(item(lengths[i + 1], i + 1 + lap), 0);
                assertThrows(Queue.Full.class, () -> q.put(item(1, 0), 0));
                assertEquals(2, q.size());
                assertArrayEquals(item(lengths[i], i + lap), q.get(0));
                assertArrayEquals(item(lengths[i + 1], i + 1 + lap), q.get(0));
                assertThrows(Queue.Empty.class, () -> q.get(0));
            }
        }
        assertEquals(0, Words.getLong(m, QueueDescriptor.PUT_TURN));
        assertEquals(0, Words.getLong(m, QueueDescriptor.GET_TURN));
        assertEquals(Set.of(), added(before), "a side segment was left behind");
    }

    @Test
    @DisplayName("a solo ring's producer dead holding its turn before publishing: the next producer takes the turn and the slot")
    void soloProducerDiedWriting() throws Exception {
        SharedQueue q = SharedQueue.createSolo(2);
        MemorySegment m = q.block.memory();
        long pos = new Ring(m, 2, q.block, -1, true).claimPut();
        m.set(java.lang.foreign.ValueLayout.JAVA_INT, slot(q, pos, 2) + SlotDescriptor.LENGTH, 99);
        Words.setLong(m, QueueDescriptor.PUT_TURN, DEAD);
        assertThrows(Queue.Empty.class, () -> q.get(0));
        q.put(item(5, 1), PATIENCE);
        assertArrayEquals(item(5, 1), q.get(0));
        assertEquals(0, q.size());
    }

    @Test
    @DisplayName("a solo ring's producer dead after publishing, before moving the tail: its item is taken, and the next put goes after it")
    void soloProducerDiedPublishing() throws Exception {
        SharedQueue q = SharedQueue.createSolo(2);
        MemorySegment m = q.block.memory();
        long pos = new Ring(m, 2, q.block, -1, true).claimPut();
        publishWithoutTail(q, m, pos, 2, item(5, 2));
        Words.setLong(m, QueueDescriptor.PUT_TURN, DEAD);
        q.put(item(6, 3), PATIENCE);
        assertEquals(2, Words.getLong(m, QueueDescriptor.TAIL));
        assertArrayEquals(item(5, 2), q.get(0));
        assertArrayEquals(item(6, 3), q.get(0));
    }

    @Test
    @DisplayName("a solo ring's consumer dead before freeing the slot: the next consumer takes the item")
    void soloConsumerDiedReading() throws Exception {
        SharedQueue q = SharedQueue.createSolo(2);
        MemorySegment m = q.block.memory();
        q.put(item(5, 4), 0);
        assertEquals(0, new Ring(m, 2, q.block, -1, true).claimGet());
        Words.setLong(m, QueueDescriptor.GET_TURN, DEAD);
        assertArrayEquals(item(5, 4), q.get(PATIENCE));
        assertThrows(Queue.Empty.class, () -> q.get(0));
    }

    @Test
    @DisplayName("a solo ring's consumer dead after freeing the slot, before moving the head: the next consumer moves it on")
    void soloConsumerDiedFreeing() throws Exception {
        SharedQueue q = SharedQueue.createSolo(1);
        MemorySegment m = q.block.memory();
        q.put(item(5, 5), 0);
        long pos = new Ring(m, 1, q.block, -1, true).claimGet();
        long slot = slot(q, pos, 1);
        Words.setLong(m, slot + SlotDescriptor.SEQUENCE, 2 * (pos + 1) - Ring.base(slot));
        Words.setLong(m, QueueDescriptor.GET_TURN, DEAD);
        assertThrows(Queue.Empty.class, () -> q.get(0));
        assertEquals(1, Words.getLong(m, QueueDescriptor.HEAD));
        q.put(item(5, 6), PATIENCE);
        assertArrayEquals(item(5, 6), q.get(0));
    }

    @Test
    @DisplayName("a solo ring's turn held by a live thread is waited for, not taken; a blocked get does not hold it")
    void soloTurnOfTheLiving() throws Exception {
        SharedQueue q = SharedQueue.createSolo(2);
        MemorySegment m = q.block.memory();
        Words.setLong(m, QueueDescriptor.PUT_TURN, ProcessIdentity.current());
        assertThrows(Queue.Full.class, () -> q.put(item(1, 1), 0), "took the turn of a live process");
        Words.setLong(m, QueueDescriptor.PUT_TURN, 0);
        byte[][] got = new byte[1][];
        Thread blocked = Thread.ofPlatform().start(() -> {
            try {
                got[0] = q.get(PATIENCE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(100);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, Words.getLong(m, QueueDescriptor.GET_TURN), "a blocked get holds the turn");
            assertTrue(blocked.isAlive(), "the get did not wait");
            Thread.sleep(1);
        }
        assertThrows(Queue.Empty.class, () -> q.get(0), "a get beside a blocked one");
        q.put(item(3, 7), 0);
        blocked.join(PATIENCE / 1_000_000);
        assertArrayEquals(item(3, 7), got[0]);
    }
}
