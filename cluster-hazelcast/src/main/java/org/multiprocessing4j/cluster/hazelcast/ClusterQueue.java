package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.spi.Handles;
import org.multiprocessing4j.spi.QueueBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queue: its items in a Hazelcast {@code IQueue} of the same name as its record, each sealed;
 * its bound (free room) and unfinished tasks in the record. A put first takes room and counts
 * the task in the record (waiting there while the queue is full), then offers the item; a get
 * polls the IQueue and, for a bounded queue, gives the room back.
 *
 * <p>An item that is not signed with the cluster's key — someone else wrote to the IQueue — is
 * dropped unread and logged, and the get goes on. When the queue's owner leaves, the member
 * that notices puts a sealed "gone" item in it; a consumer that takes it puts it back (for the
 * next consumer) and throws {@link ProcessGoneException}; items put before the owner left come
 * first. Puts after it are refused by the record.
 *
 * @param key     the record's key, and the IQueue's name
 * @param maxsize the bound, 0 for none
 */
record ClusterQueue(String key, int maxsize) implements QueueBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@return this, or a manager's proxy of it when a manager encodes it for a client} */
    @Serial
    private Object writeReplace() {
        return Handles.forClient(this);
    }

    /** Decoded in a process: it joins the cluster in the background, so the first call waits less. */
    @Serial
    private Object readResolve() {
        ClusterNode.prestart();
        return this;
    }
    private static final Logger LOG = LoggerFactory.getLogger(ClusterQueue.class);
    private static final byte ITEM = 0;
    private static final byte GONE = 1;

    static ClusterQueue create(ClusterNode node, int maxsize) {
        return new ClusterQueue(node.create(State.Kind.QUEUE, maxsize), maxsize);
    }

    @Override
    public void put(byte[] item, long timeoutNanos) throws InterruptedException {
        ClusterNode node = ClusterNode.current();
        Answer a = ClusterNode.check(node.await(key, Op.Code.QUEUE_PUT, 0, timeoutNanos, false));
        if (a.status() == Answer.Status.WAIT) {
            throw new Queue.Full(a.text());
        }
        byte[] typed = new byte[item.length + 1];
        typed[0] = ITEM;
        System.arraycopy(item, 0, typed, 1, item.length);
        IQueue<byte[]> queue = guarded(() -> node.queue(key));
        byte[] sealed = node.sealer().seal(Sealer.Label.ITEM, typed);
        guarded(() -> queue.offer(sealed));
    }

    /**
     * Runs an operation on the IQueue, a refusal of split-brain protection and a cluster gone
     * (this process's member or client stopped) said in our words. The operations here do not
     * wait, so they run with the interrupt flag clear (set again after): Hazelcast fails a call
     * made with it set with an unchecked {@code HazelcastException}, after the call may have
     * taken effect (an item offered, or polled and lost). The waits between them stay
     * interruptible.
     */
    private <T> T guarded(java.util.function.Supplier<T> op) {
        boolean interrupted = Thread.interrupted();
        try {
            return op.get();
        } catch (HazelcastException | IllegalStateException | java.util.concurrent.RejectedExecutionException e) {
            throw ClusterNode.current().translated(e, key);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public byte[] get(long timeoutNanos) throws InterruptedException {
        ClusterNode node = ClusterNode.current();
        IQueue<byte[]> queue = guarded(() -> node.queue(key));
        Watch watch = timeoutNanos == 0 ? null : guarded(() -> node.watchQueue(key));
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            if (watch != null && Thread.interrupted()) {
                throw new InterruptedException();
            }
            long seen = watch == null ? 0 : watch.version();
            byte[] sealed = guarded(queue::poll);
            if (sealed != null) {
                byte[] typed;
                try {
                    typed = node.sealer().open(Sealer.Label.ITEM, sealed, "an item of " + key);
                } catch (AuthenticationException e) {
                    LOG.warn("dropped an item of {}: {}", key, e.getMessage());
                    continue;
                }
                if (typed.length > 0 && typed[0] == GONE) {
                    guarded(() -> queue.offer(sealed));
                    throw new ProcessGoneException(new String(typed, 1, typed.length - 1, StandardCharsets.UTF_8));
                }
                if (maxsize > 0) {
                    node.call(key, Op.Code.QUEUE_TAKEN, 0, 0, false);
                }
                return Arrays.copyOfRange(typed, 1, typed.length);
            }
            if (watch == null) {
                throw new Queue.Empty("the queue is empty");
            }
            long left = timeoutNanos < 0 ? Watch.SLICE_NANOS : deadline - System.nanoTime();
            if (left <= 0) {
                throw new Queue.Empty("the queue stayed empty");
            }
            watch.awaitChange(seen, Math.min(left, Watch.SLICE_NANOS));
        }
    }

    @Override
    public int size() {
        return guarded(() -> ClusterNode.current().queue(key).size());
    }

    @Override
    public void taskDone() {
        ClusterNode.now(key, Op.Code.QUEUE_DONE, false);
    }

    @Override
    public void join() throws InterruptedException {
        ClusterNode.check(ClusterNode.current().await(key, Op.Code.QUEUE_JOIN, 0, -1, false));
    }

    /**
     * Wakes the consumers of a queue whose owner left: puts a sealed "gone" item after the items
     * already in it, which consumers still get first (a child's last items are not lost with it).
     *
     * @param member    the member that noticed
     * @param sealer    its key
     * @param key       the queue
     * @param ownerDesc its owner, in words
     */
    static void wakeConsumersOfGone(HazelcastInstance member, Sealer sealer, String key, String ownerDesc) {
        byte[] text = ("Queue " + key + " is gone: its owner, " + ownerDesc + ", ended").getBytes(StandardCharsets.UTF_8);
        byte[] typed = new byte[text.length + 1];
        typed[0] = GONE;
        System.arraycopy(text, 0, typed, 1, text.length);
        member.<byte[]>getQueue(key).offer(sealer.seal(Sealer.Label.ITEM, typed));
    }
}
