package org.multiprocessing4j.ipc.sharedmem;

/**
 * The layout of an {@code Event} block:
 * <pre>
 *   0                         4         8                                   64
 *   +-------------------------+---------+-----------------------------------+
 *   | state: generation | set | waiters | (padding)                         |
 *   +-------------------------+---------+-----------------------------------+
 * </pre>
 * <ul>
 * <li>{@code state}: bit 0 is the flag; bits 1 to 31 count the times it went from clear to set.
 *     The futex word waiters sleep on. Because each set changes the generation, a waiter that
 *     sleeps on a clear state is woken by a set even if a clear follows at once (a flag alone
 *     would be back to the value it slept on).</li>
 * <li>{@code waiters}: how many sleep in futex on {@code state}.</li>
 * </ul>
 */
final class EventDescriptor {
    static final long STATE = 0;
    static final long WAITERS = 4;
    static final int SIZE = 64;
    /** The flag's bit in {@link #STATE}. */
    static final int SET = 1;

    private EventDescriptor() {
    }
}
