package org.multiprocessing4j.ipc.sharedmem;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.multiprocessing4j.Queue;

/**
 * What the queue stress and crash tests run in each process. Items name their producer thread
 * and their number in that thread's sequence; every 500th is larger than a slot. Consumers
 * count each item they take in a shared table of counters, one int per item:
 * <pre>
 *   0        4            8                    64
 *   +--------+------------+------ ... ---------+----------------------------------+
 *   | taken  | violations | (free)             | count of item 0, 1, 2, ...       |
 *   +--------+------------+------ ... ---------+----------------------------------+
 * </pre>
 * {@code violations} counts items seen out of their producer thread's order by one consumer
 * thread.
 */
final class QueueWorkloads {
    static final long TAKEN = 0;
    static final long VIOLATIONS = 4;
    static final long COUNTS = 64;

    private QueueWorkloads() {
    }

    /** @return the size of a table for {@code items} items */
    static long tableSize(int items) {
        return COUNTS + 4L * items;
    }

    static byte[] item(int producer, int number) {
        // Mostly in the slot; every tenth in a 4 KiB side buffer, every 500th in a 64 KiB one.
        int length = number % 500 == 499 ? 5_000 + SideDescriptor.SIZES[0] : number % 10 == 9 ? 1_000 : 8;
        return ByteBuffer.allocate(length).putInt(producer).putInt(number).array();
    }

    /** Puts {@code items} items for each of the producer threads numbered from {@code firstProducer}. */
    static void produce(SharedQueue q, int firstProducer, int threads, int items) throws InterruptedException {
        int[] next = {firstProducer};
        Workloads.onThreads(threads, () -> {
            int producer;
            synchronized (next) {
                producer = next[0]++;
            }
            for (int i = 0; i < items; i++) {
                q.put(item(producer, i), -1);
            }
        });
    }

    /**
     * Takes items until the table says {@code total} were taken, counting each; or forever if
     * {@code total} is negative.
     */
    static void consume(SharedQueue q, SharedBlock table, int threads, int producers, int items, int total)
            throws InterruptedException {
        MemorySegment t = table.memory();
        Workloads.onThreads(threads, () -> {
            int[] last = new int[producers];
            java.util.Arrays.fill(last, -1);
            while (total < 0 || Words.getInt(t, TAKEN) < total) {
                byte[] got;
                try {
                    got = q.get(50_000_000L);
                } catch (Queue.Empty e) {
                    continue;
                }
                ByteBuffer b = ByteBuffer.wrap(got);
                int producer = b.getInt();
                int number = b.getInt();
                if (got.length != item(producer, number).length || number <= last[producer]) {
                    Words.addInt(t, VIOLATIONS, 1);
                }
                last[producer] = number;
                Words.addInt(t, COUNTS + 4L * ((long) producer * items + number), 1);
                Words.addInt(t, TAKEN, 1);
            }
        });
    }

    /**
     * Runs {@link #consume} on {@code threads} threads while {@link #produce} puts from as many
     * more, the producers numbered from {@code process * threads}.
     */
    static void produceWhileConsuming(SharedQueue q, SharedBlock table, int process, int threads, int producers,
                                      int items, int total) throws InterruptedException {
        Thread consumers = Thread.ofPlatform().start(() -> {
            try {
                consume(q, table, threads, producers, items, total);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        produce(q, process * threads, threads, items);
        consumers.join();
    }
}
