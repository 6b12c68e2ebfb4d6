package org.multiprocessing4j.ipc.sharedmem;

/**
 * The layout of a {@code Semaphore} or {@code BoundedSemaphore} block: a header line, then a
 * table of the processes that hold permits.
 * <pre>
 *   0       4         8       12      16              24                          64
 *   +-------+---------+-------+-------+---------------+---------------------------+
 *   | value | waiters | bound | (pad) | died          | (padding)                 |
 *   +-------+---------+-------+-------+---------------+---------------------------+
 *   64 + 16 i, for i in 0 .. HOLDERS - 1:
 *   +---------------+-------+-------+
 *   | process       | count | (pad) |
 *   +---------------+-------+-------+
 * </pre>
 * <ul>
 * <li>{@code value}: the free permits, taken and given by compare-and-set; the futex word
 *     acquirers sleep on while it is 0.</li>
 * <li>{@code waiters}: how many sleep in futex on {@code value}.</li>
 * <li>{@code bound}: a BoundedSemaphore's bound, or -1.</li>
 * <li>{@code died}: a process whose permits were given back after it died, for the next
 *     acquirer to report; 0 when there is nothing to report.</li>
 * <li>The holder table: per process (a packed {@link ProcessIdentity}; 0 for a free entry,
 *     {@link #RECLAIMING} while a dead one's permits are being given back), the permits it took
 *     and has not given back itself. A process claims an entry on its first acquire; the entry
 *     is freed when the process is found dead.</li>
 * </ul>
 */
final class SemaphoreDescriptor {
    static final long VALUE = 0;
    static final long WAITERS = 4;
    static final long BOUND = 8;
    static final long DIED = 16;
    static final long HOLDERS_AT = 64;
    /** How many processes' permits are tracked at once. */
    static final int HOLDERS = 64;
    static final int HOLDER_SIZE = 16;
    static final long HOLDER_PROCESS = 0;
    static final long HOLDER_COUNT = 8;
    /** A holder entry being emptied. */
    static final long RECLAIMING = -1;
    static final int SIZE = (int) HOLDERS_AT + HOLDERS * HOLDER_SIZE;

    private SemaphoreDescriptor() {
    }

    /**
     * {@return its offset}
     *
     * @param i an entry's index
     */
    static long holder(int i) {
        return HOLDERS_AT + (long) i * HOLDER_SIZE;
    }
}
