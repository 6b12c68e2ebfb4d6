package org.multiprocessing4j.ipc.sharedmem;

/**
 * The layout of a queue's side area ({@link SideArea}), after its ring of slots: buffers of
 * three size classes for items too large for a slot, each with an owner word.
 * <pre>
 *   0                      64                     128                    192
 *   +----------------------+----------------------+----------------------+
 *   | next, class 0 (long) | next, class 1 (long) | next, class 2 (long) |
 *   +----------------------+----------------------+----------------------+
 *   192: owner words, one long per buffer, class 0's, then class 1's, then class 2's
 *   then, page aligned: class 0's buffers, class 1's, class 2's
 * </pre>
 * <ul>
 * <li>{@code next}: where a producer of that class starts looking for a free buffer (taken
 *     with a fetch-and-add, so producers spread over the buffers, and buffers are reused in
 *     about the order consumers free them).</li>
 * <li>{@code owner}: 0 free; a packed {@link ProcessIdentity} while a producer fills the buffer
 *     or a consumer empties it; {@link #QUEUED} while a slot holds it. A producer takes a buffer
 *     by compare-and-set from 0 (or from a process found dead), marks it {@code QUEUED} just
 *     before it publishes the slot; a consumer moves it from {@code QUEUED} to itself, copies
 *     the item out and frees it.</li>
 * </ul>
 * Buffers are page aligned and, like the ring, cost memory only as they are first reached.
 */
final class SideDescriptor {
    /** Buffer sizes of the classes. */
    static final int[] SIZES = {4 << 10, 64 << 10, 1 << 20};
    /** The most buffers of each class; fewer for a queue with fewer slots. */
    static final int[] MOST = {1024, 64, 4};
    static final long NEXT = 0;
    static final long OWNERS = 192;
    static final long QUEUED = -2;
    private static final long PAGE = 4096;

    private SideDescriptor() {
    }

    /**
     * {@return how many buffers of that class the queue has}
     *
     * @param capacity the queue's number of slots
     * @param k        a class
     */
    static int count(int capacity, int k) {
        return Math.min(capacity, MOST[k]);
    }

    /** {@return the number of buffers of every class} */
    static int total(int capacity) {
        int n = 0;
        for (int k = 0; k < SIZES.length; k++) {
            n += count(capacity, k);
        }
        return n;
    }

    /** {@return the offset of the first buffer, relative to the area} */
    static long buffers(int capacity) {
        long end = OWNERS + 8L * total(capacity);
        return (end + PAGE - 1) / PAGE * PAGE;
    }

    /** {@return the size of the area} */
    static long size(int capacity) {
        long size = buffers(capacity);
        for (int k = 0; k < SIZES.length; k++) {
            size += (long) count(capacity, k) * SIZES[k];
        }
        return size;
    }
}
