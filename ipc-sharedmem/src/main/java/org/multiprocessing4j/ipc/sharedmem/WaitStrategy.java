package org.multiprocessing4j.ipc.sharedmem;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits for a 32-bit word of shared memory to change, chosen by name with the
 * system property {@value #PROPERTY} ({@code spin}, {@code yield}, {@code park}, {@code futex},
 * {@code spin-then-futex}, the default).
 *
 * <p>Only {@code futex} sleeps in the kernel, so only it announces itself: it adds one to the
 * word's waiter count before it re-checks the word and sleeps, and takes it back after. A waker
 * changes the word first and calls {@code FUTEX_WAKE} only when the count is not zero
 * ({@link #wake}), so an uncontended release costs no system call. Because the waking side is
 * the same whatever strategy the waiters use, processes of one tree may use different ones.
 *
 * <p>Every strategy returns after at most the time it is given (the caller slices long waits to
 * check for interrupts and dead processes), and may return early or spuriously: the caller
 * always re-checks its condition.
 */
enum WaitStrategy {
    /** Busy-waits with {@link Thread#onSpinWait()}: lowest latency, one CPU per waiter. */
    SPIN {
        @Override
        void await(MemorySegment m, long word, long waiters, int seen, long nanos, int round) {
            spin(m, word, seen, nanos);
        }
    },
    /** Re-checks after {@link Thread#yield()}. */
    YIELD {
        @Override
        void await(MemorySegment m, long word, long waiters, int seen, long nanos, int round) {
            long start = System.nanoTime();
            while (Words.getInt(m, word) == seen && System.nanoTime() - start < nanos) {
                Thread.yield();
            }
        }
    },
    /** Re-checks after parking for a time that doubles from 1 µs to 1 ms: polling that sleeps. */
    PARK {
        @Override
        void await(MemorySegment m, long word, long waiters, int seen, long nanos, int round) {
            long start = System.nanoTime();
            long pause = Math.min(1_000_000L, 1_000L << Math.min(round, 10));
            while (Words.getInt(m, word) == seen) {
                long left = nanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(Math.min(pause, left));
                pause = Math.min(1_000_000L, pause * 2);
            }
        }
    },
    /** Sleeps in {@code futex} at once. */
    FUTEX {
        @Override
        void await(MemorySegment m, long word, long waiters, int seen, long nanos, int round) {
            sleep(m, word, waiters, seen, nanos);
        }
    },
    /**
     * On the first wait of an operation, spins for up to {@value #SPIN_NANOS} ns, then yields
     * the CPU until {@value #YIELD_NANOS} ns have passed, then sleeps in futex; later waits of the
     * operation sleep at once. The spin catches a peer that answers within microseconds with no
     * system call on either side; the yields let a peer (or the JIT's threads) that waits for
     * this CPU run on it, where a longer spin would starve them on a machine of two cores; only
     * a wait longer than both costs a sleep, and the waker a {@code FUTEX_WAKE}.
     */
    SPIN_THEN_FUTEX {
        @Override
        void await(MemorySegment m, long word, long waiters, int seen, long nanos, int round) {
            if (round == 0 && spinThenYield(m, word, seen, nanos)) {
                return;
            }
            sleep(m, word, waiters, seen, nanos);
        }
    };

    /** The system property that names the strategy of a JVM. */
    static final String PROPERTY = "multiprocessing4j.sharedmem.wait";
    /** How long {@link #SPIN_THEN_FUTEX} spins before it yields. */
    static final long SPIN_NANOS = 5_000L;
    /** How long after its start {@link #SPIN_THEN_FUTEX} stops yielding and sleeps. */
    static final long YIELD_NANOS = 50_000L;

    /**
     * Waits while the word at {@code word} still holds {@code seen}, at most {@code nanos}.
     *
     * @param m       the memory
     * @param word    the word's offset, 4-byte aligned
     * @param waiters the offset of the word's waiter count
     * @param seen    the value the caller saw
     * @param nanos   the longest wait, at least 1
     * @param round   0 on an operation's first wait, then 1, 2, …
     */
    abstract void await(MemorySegment m, long word, long waiters, int seen, long nanos, int round);

    /** {@return whether it may sleep in {@code futex}, which a virtual thread must not (it pins the carrier)} */
    boolean sleepsInKernel() {
        return this == FUTEX || this == SPIN_THEN_FUTEX;
    }

    /** {@return the name users give, such as {@code spin-then-futex}} */
    String strategyName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * {@return that strategy}
     *
     * @param name a strategy's name
     * @throws IllegalArgumentException naming the known ones, if there is none of that name
     */
    static WaitStrategy named(String name) {
        for (WaitStrategy s : values()) {
            if (s.strategyName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no shared-memory wait strategy named '" + name + "' (" + PROPERTY
                + "); known: " + String.join(", ", Arrays.stream(values()).map(WaitStrategy::strategyName).toList()));
    }

    /**
     * Wakes threads that sleep on a word, if its waiter count says any do. Call after changing
     * the word.
     *
     * @param m       the memory
     * @param word    the word's offset
     * @param waiters the offset of its waiter count
     * @param count   how many to wake; {@link Integer#MAX_VALUE} for all
     */
    static void wake(MemorySegment m, long word, long waiters, int count) {
        if (Words.getInt(m, waiters) > 0) {
            Futex.wake(m, word, count);
        }
    }

    /** {@return true if the word changed within {@code nanos}} */
    private static boolean spin(MemorySegment m, long word, int seen, long nanos) {
        long start = System.nanoTime();
        for (int i = 0; ; i++) {
            if (Words.getInt(m, word) != seen) {
                return true;
            }
            if ((i & 15) == 15 && System.nanoTime() - start >= nanos) {
                return false;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Spins, then yields, within {@link #SPIN_NANOS} and {@link #YIELD_NANOS} and at most
     * {@code nanos}.
     *
     * @return true if the word changed meanwhile
     */
    static boolean spinThenYield(MemorySegment m, long word, int seen, long nanos) {
        long start = System.nanoTime();
        if (spin(m, word, seen, Math.min(nanos, SPIN_NANOS))) {
            return true;
        }
        long budget = Math.min(nanos, YIELD_NANOS);
        while (System.nanoTime() - start < budget) {
            Thread.yield();
            if (Words.getInt(m, word) != seen) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(MemorySegment m, long word, long waiters, int seen, long nanos) {
        Words.addInt(m, waiters, 1);
        try {
            if (Words.getInt(m, word) == seen) {
                Futex.await(m, word, seen, nanos);
            }
        } finally {
            Words.addInt(m, waiters, -1);
        }
    }
}
