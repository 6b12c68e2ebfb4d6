package org.multiprocessing4j.ipc.sharedmem;

/**
 * The layout of a {@code Condition} block: a header line, then a table of waiter entries.
 * <pre>
 *   0              8         12                                              64
 *   +--------------+---------+-----------------------------------------------+
 *   | next ticket  | used    | (padding)                                     |
 *   +--------------+---------+-----------------------------------------------+
 *   64 + ENTRY * i, entry i:
 *   0              8              16        20        24                     32
 *   +--------------+--------------+---------+---------+----------------------+
 *   | owner        | ticket       | state   | waiters | (padding)            |
 *   +--------------+--------------+---------+---------+----------------------+
 * </pre>
 * <ul>
 * <li>{@code next ticket}: the ticket of the next waiter; tickets order the waiters (a signal
 *     wakes the lowest).</li>
 * <li>{@code used}: how many entries have ever been taken; entries are taken from the low end,
 *     so scans stop there.</li>
 * <li>{@code owner}: the waiting process (a packed {@link ProcessIdentity}); 0 when the entry
 *     is free. Taken by compare-and-set from 0.</li>
 * <li>{@code ticket}: the waiter's ticket, written before {@code state} says it waits.</li>
 * <li>{@code state}: {@link #IDLE}, {@link #WAITING} or {@link #SIGNALLED}: the futex word the
 *     waiter sleeps on, so a signal wakes exactly the waiter it chose. A signaller moves it
 *     from {@code WAITING} to {@code SIGNALLED}, a waiter that gives up from {@code WAITING}
 *     to {@code IDLE}, both by compare-and-set: exactly one of them wins, so a waiter that left
 *     never takes a signal.</li>
 * <li>{@code waiters}: 1 while the entry's waiter sleeps in futex, else 0.</li>
 * </ul>
 */
final class ConditionDescriptor {
    static final long NEXT_TICKET = 0;
    static final long USED = 8;
    static final long ENTRIES = 64;
    static final int ENTRY = 32;
    static final long OWNER = 0;
    static final long TICKET = 8;
    static final long STATE = 16;
    static final long WAITERS = 20;
    /** How many processes' threads may wait on one condition at once. */
    static final int CAPACITY = 1024;
    static final int SIZE = (int) ENTRIES + CAPACITY * ENTRY;

    static final int IDLE = 0;
    static final int WAITING = 1;
    static final int SIGNALLED = 2;

    private ConditionDescriptor() {
    }

    /**
     * {@return its offset in the block}
     *
     * @param i an entry's index
     */
    static long entry(int i) {
        return ENTRIES + (long) i * ENTRY;
    }
}
