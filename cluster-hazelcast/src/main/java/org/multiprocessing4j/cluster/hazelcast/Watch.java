package org.multiprocessing4j.cluster.hazelcast;

import com.hazelcast.collection.ItemEvent;
import com.hazelcast.collection.ItemListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;

/**
 * Wakes the threads of this process that wait for a record or a queue to change. Hazelcast
 * calls it (as an entry or item listener, registered once per key and process) whenever the
 * record changes or an item is added; a waiter reads {@link #version()} before it tries, and
 * after a try that must wait, waits until the version moved. So a change between the try and
 * the wait is never missed. Waits are also cut into slices ({@link #SLICE_NANOS}), so that a
 * lost event (a client that reconnected) costs a second, never a hang.
 */
final class Watch implements EntryAddedListener<String, byte[]>, EntryUpdatedListener<String, byte[]>,
        EntryRemovedListener<String, byte[]>, EntryExpiredListener<String, byte[]>,
        EntryEvictedListener<String, byte[]>, MapClearedListener, ItemListener<byte[]> {
    /** The longest a waiter sleeps before it tries again without being woken. */
    static final long SLICE_NANOS = 1_000_000_000L;
    private long version;

    synchronized long version() {
        return version;
    }

    /**
     * Waits until the version is no longer {@code seen}, or the time is up.
     *
     * @param seen  the version read before the try
     * @param nanos the longest to wait, positive
     * @throws InterruptedException if interrupted
     */
    synchronized void awaitChange(long seen, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (version == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    private synchronized void bump() {
        version++;
        notifyAll();
    }

    @Override
    public void entryAdded(EntryEvent<String, byte[]> event) {
        bump();
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> event) {
        bump();
    }

    @Override
    public void entryRemoved(EntryEvent<String, byte[]> event) {
        bump();
    }

    @Override
    public void entryExpired(EntryEvent<String, byte[]> event) {
        bump();
    }

    @Override
    public void entryEvicted(EntryEvent<String, byte[]> event) {
        bump();
    }

    @Override
    public void mapCleared(MapEvent event) {
        bump();
    }

    @Override
    public void itemAdded(ItemEvent<byte[]> item) {
        bump();
    }

    @Override
    public void itemRemoved(ItemEvent<byte[]> item) {
        // a removal frees nothing a queue consumer waits for
    }
}
