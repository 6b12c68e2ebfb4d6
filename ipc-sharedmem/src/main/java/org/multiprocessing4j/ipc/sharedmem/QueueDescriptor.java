package org.multiprocessing4j.ipc.sharedmem;

/**
 * The layout of a {@code Queue}'s segment: a header of four cache lines, then the ring of
 * {@code capacity} slots ({@link SlotDescriptor}).
 * <pre>
 *   0                            64                           128                          192
 *   +------+----------+----------+------+----------+----------+----------+------+---------+
 *   | tail | put turn | ...      | head | get turn | ...      | capacity | solo | ...     |
 *   +------+----------+----------+------+----------+----------+----------+------+---------+
 *   192                                   256
 *   +------------------+--------------------+
 *   | unfinished (int) | join waiters (int) |
 *   +------------------+--------------------+
 *   256 + SlotDescriptor.SIZE * (pos % capacity): the slot of position pos
 *   then, on a page boundary, the side area ({@link SideDescriptor})
 * </pre>
 * <ul>
 * <li>{@code tail} (long): the next position a producer claims; moved only by the process that
 *     owns the slot of position {@code tail} (see {@link Ring}), or, in a solo ring, by the
 *     holder of the put turn.</li>
 * <li>{@code put turn} (long): in a solo ring, the process whose put is in progress (a packed
 *     {@link ProcessIdentity}), 0 when none is; unused otherwise.</li>
 * <li>{@code head} (long): the next position a consumer takes; moved only by the owner of the
 *     slot at {@code head}, or, in a solo ring, by the holder of the get turn.</li>
 * <li>{@code get turn} (long): in a solo ring, the process whose get is in progress.</li>
 * <li>{@code capacity} (int): how many slots the ring has, written once at creation, for
 *     checks.</li>
 * <li>{@code solo} (int): 1 for a ring of one producer and one consumer at a time (a pipe's
 *     direction), 0 for a queue's; written once at creation, checked against the handle.</li>
 * <li>{@code unfinished}: tasks put and not yet marked done (joinable queues); the futex word
 *     of {@code join}, with its own waiter count.</li>
 * </ul>
 * Each of tail, head and the task count has a cache line of its own:
 * producers write the first, consumers the second, and neither slows the other's line.
 * A solo ring's turns sit on those lines too: a producer's turn costs no transfer of a line
 * between processes, nor does a consumer's.
 */
final class QueueDescriptor {
    static final long TAIL = 0;
    static final long PUT_TURN = 8;
    static final long HEAD = 64;
    static final long GET_TURN = 72;
    static final long CAPACITY = 128;
    static final long SOLO = 132;
    static final long UNFINISHED = 192;
    static final long JOIN_WAITERS = 196;
    static final long SLOTS = 256;

    /**
     * The ring of an unbounded queue (Python's {@code maxsize} 0): this many items may wait at
     * once; a put beyond that waits for room, the one deviation from Python, whose unbounded
     * queue never blocks. {@value} slots of {@link SlotDescriptor#SIZE} bytes are 8 MiB of
     * address space, of which tmpfs allocates only the pages the ring has reached.
     */
    static final int UNBOUNDED_CAPACITY = 32_768;
    /** The largest bounded queue kept in shared memory; a larger maxsize is the broker's. */
    static final int MAX_CAPACITY = 1 << 20;

    private QueueDescriptor() {
    }

    /**
     * {@return the size of the segment}
     *
     * @param capacity the number of slots
     */
    static long size(int capacity) {
        return side(capacity) + SideDescriptor.size(capacity);
    }

    /**
     * {@return the offset of the side area ({@link SideDescriptor}), on a page after the ring}
     *
     * @param capacity the number of slots
     */
    static long side(int capacity) {
        long end = SLOTS + (long) checkCapacity(capacity) * SlotDescriptor.SIZE;
        return (end + 4095) / 4096 * 4096;
    }

    /**
     * {@return the offset of its slot}
     *
     * @param pos      a position
     * @param capacity the number of slots
     */
    static long slot(long pos, int capacity) {
        long index = (capacity & (capacity - 1)) == 0 ? pos & (capacity - 1) : pos % capacity;
        return SLOTS + index * SlotDescriptor.SIZE;
    }

    /**
     * {@return it}
     *
     * @param capacity a number of slots
     * @throws IllegalArgumentException naming it if it is not 1 to {@link #MAX_CAPACITY}
     */
    static int checkCapacity(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("a shared-memory queue has 1 to " + MAX_CAPACITY + " slots, not capacity="
                    + capacity);
        }
        return capacity;
    }
}
