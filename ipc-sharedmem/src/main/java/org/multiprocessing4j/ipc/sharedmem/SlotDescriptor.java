package org.multiprocessing4j.ipc.sharedmem;

/**
 * The layout of one slot of a queue's ring ({@link QueueDescriptor}), {@value #SIZE} bytes:
 * <pre>
 *   0            8            16           20           24           28      32             256
 *   +------------+------------+------------+------------+------------+-------+---------------+
 *   | sequence   | owner      | length     | side       | waiters    | (pad) | payload ...   |
 *   +------------+------------+------------+------------+------------+-------+---------------+
 * </pre>
 * <ul>
 * <li>{@code sequence}: where the slot is in its life, counted in half steps of positions so
 *     that a ring of one slot still tells "holds the item of position p" from "free for
 *     position p + 1": {@code 2p} free for position {@code p}, {@code 2p + 1} holds the item of
 *     position {@code p}; a consumer that has taken it sets {@code 2(p + capacity)}. Slot
 *     {@code i} starts at {@code 2i}, and is stored less {@code 2i}, so that a new ring is
 *     all zeros: nothing is written at creation, and tmpfs allocates a page only when the ring
 *     reaches it. The low 32 bits of the stored value are the futex word producers and
 *     consumers wait on.</li>
 * <li>{@code owner}: the process working on the slot now (a packed {@link ProcessIdentity}):
 *     a producer from its claim until after it published, a consumer from its claim until
 *     after it freed the slot; 0 when nobody is. Taken by compare-and-set, from 0 or from a
 *     process found dead.</li>
 * <li>{@code length}: the item's length in bytes.</li>
 * <li>{@code side}: 0 when the item is in the payload; {@code -(b + 1)} when it is in buffer
 *     {@code b} of the queue's side area ({@link SideArea}); a positive length when it is in a
 *     segment of its own, whose name (that many bytes of ASCII) is in the payload.</li>
 * <li>{@code waiters}: how many threads sleep in futex on this slot's sequence; a step that
 *     changes the sequence makes the wake-up system call only when this is not 0. Per slot,
 *     not per queue: a consumer asleep on one slot must not make the producer pay a system
 *     call for every later slot it fills.</li>
 * </ul>
 * Four cache lines: an item of up to {@value #INLINE_MAX} bytes travels in the slot itself.
 */
final class SlotDescriptor {
    static final long SEQUENCE = 0;
    static final long OWNER = 8;
    static final long LENGTH = 16;
    static final long SIDE = 20;
    static final long WAITERS = 24;
    static final long PAYLOAD = 32;
    static final int SIZE = 256;
    /** The largest item kept in the slot itself. */
    static final int INLINE_MAX = SIZE - (int) PAYLOAD;

    private SlotDescriptor() {
    }
}
