package org.multiprocessing4j.ipc.sharedmem;

import java.lang.foreign.MemorySegment;

/**
 * One operation's wait: its deadline, its slices, its interrupts. A blocked operation loops:
 * try, and if that fails {@link #pause} on the word that will change. Each pause lasts at most
 * a slice ({@value #SLICE_NANOS} ns), so that an interrupt is seen within a slice (a thread
 * asleep in {@code futex} cannot be interrupted) and the checks that need {@code /proc} (is
 * the creator alive, did a holder die) run once a slice ({@link #checkDue()}), not once per
 * wake-up.
 *
 * <p>A virtual thread never sleeps in {@code futex}: that would pin its carrier, and with as
 * few waiters as the scheduler has carriers (two on a machine of two cores) the holder they wait
 * for could never run again. It waits as {@link WaitStrategy#PARK} does instead, parking (which
 * frees the carrier) for a time that doubles up to 1 ms between checks of the word.
 */
final class Waiting {
    /** The longest single sleep. */
    static final long SLICE_NANOS = 20_000_000L;
    /** The strategy of this JVM, from the system property {@value WaitStrategy#PROPERTY}. */
    private static final WaitStrategy CONFIGURED =
            WaitStrategy.named(System.getProperty(WaitStrategy.PROPERTY, "spin-then-futex"));

    private final WaitStrategy strategy;
    private final long timeoutNanos;
    private final long start = System.nanoTime();
    private long lastCheck = start;
    private boolean checked;
    private int round;

    /**
     * @param timeoutNanos negative: as long as it takes; positive: the limit. Zero is not a wait
     */
    Waiting(long timeoutNanos) {
        this(CONFIGURED, timeoutNanos);
    }

    Waiting(WaitStrategy strategy, long timeoutNanos) {
        this.strategy = Thread.currentThread().isVirtual() && strategy.sleepsInKernel() ? WaitStrategy.PARK : strategy;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * {@return whether this wait's strategy spins and yields before it sleeps ({@link
     * WaitStrategy#SPIN_THEN_FUTEX}): a caller that can do better than watch the word for a
     * change (a lock, which tries to take the word whenever it reads free) spins itself, then
     * calls {@link #spun()}}
     */
    boolean spinsFirst() {
        return strategy == WaitStrategy.SPIN_THEN_FUTEX;
    }

    /** The caller has spun and yielded itself: the next {@link #pause} sleeps at once. */
    void spun() {
        round = Math.max(round, 1);
    }

    /** {@return the strategy of this JVM} */
    static WaitStrategy configured() {
        return CONFIGURED;
    }

    /**
     * {@return true the first time, then once every slice: time for the checks that read {@code
     * /proc}}
     *
     */
    boolean checkDue() {
        long now = System.nanoTime();
        if (!checked || now - lastCheck >= SLICE_NANOS) {
            checked = true;
            lastCheck = now;
            return true;
        }
        return false;
    }

    /**
     * {@return true once a whole slice has passed since the wait began, then once every slice:
     * for the checks that read {@code /proc} in waits that begin often and are usually short
     * (a contended lock, a pipe's receiver), where {@link #checkDue()}'s check on the first call
     * would put a read of {@code /proc} on every hand-over}
     */
    boolean sliceOver() {
        long now = System.nanoTime();
        if (now - lastCheck >= SLICE_NANOS) {
            lastCheck = now;
            return true;
        }
        return false;
    }

    /** {@return whether the operation's time has run out (never, for an operation without a limit)} */
    boolean expired() {
        return timeoutNanos >= 0 && System.nanoTime() - start >= timeoutNanos;
    }

    /**
     * Waits while the word holds {@code seen}, for at most a slice and the time left.
     *
     * @param m       the memory
     * @param word    the word's offset
     * @param waiters the offset of its waiter count
     * @param seen    the value the caller saw before deciding to wait
     * @return false if the operation's time has run out (nothing was waited then)
     * @throws InterruptedException if the thread is interrupted
     */
    boolean pause(MemorySegment m, long word, long waiters, int seen) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long left = SLICE_NANOS;
        if (timeoutNanos >= 0) {
            left = Math.min(left, timeoutNanos - (System.nanoTime() - start));
            if (left <= 0) {
                return false;
            }
        }
        strategy.await(m, word, waiters, seen, left, round++);
        return true;
    }
}
