package org.multiprocessing4j.ipc.sharedmem;

import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A clock of {@value #TICK_MILLIS} ms ticks for work that is due "at most once a tick", read
 * with one volatile load where {@link System#nanoTime()} is a call into the kernel's vDSO (about
 * 20 ns here, a sixth of a queue put: {@code perf} of the queue workload, 2026-12-07).
 *
 * <p>A daemon thread of this JVM advances it while it is used and stops once it has gone a
 * second without use; the next use starts it again. Stopped, {@link #now()} answers 0, which
 * callers take as "due now", so a stopped clock never makes anything look fresh. A tick value,
 * once shown, is never shown again (restarts go on counting), so a stamp taken before a stop
 * never matches a tick after it.
 */
final class Ticks {
    /** How long a tick lasts. */
    static final long TICK_MILLIS = 10;
    /** Ticks without use after which the thread stops. */
    private static final int IDLE_TICKS = 100;

    /** The current tick; 0 while the thread is stopped. */
    private static volatile long tick;
    /** Whether {@link #used} was called since the thread last looked. */
    private static volatile boolean used;
    /** The last tick shown; restarts continue from it. Guarded by the class. */
    private static long last;
    /** Whether the thread runs. Guarded by the class. */
    private static boolean running;
    /** For tests: run by the thread at each tick; what it throws ends the thread as an error would. */
    static volatile @Nullable Runnable tickHook;

    private Ticks() {
    }

    /** {@return the current tick; 0 if the clock is stopped (call {@link #used} to start it)} */
    static long now() {
        return tick;
    }

    /**
     * Says the clock is in use, starting it if it was stopped; callers call it on their slow
     * path (at most once a tick each), so the hot path stays a load.
     *
     * @return the current tick, not 0
     */
    static long used() {
        used = true;
        long t = tick;
        return t != 0 ? t : start();
    }

    private static synchronized long start() {
        if (!running) {
            Thread thread = Thread.ofPlatform().daemon().name("multiprocessing4j-ticks")
                    .inheritInheritableThreadLocals(false).unstarted(Ticks::run);
            thread.setContextClassLoader(null); // it pins no caller's class loader
            thread.start(); // if it cannot start, the clock stays stopped: every check is due
            running = true;
            tick = ++last;
        }
        return tick;
    }

    private static void run() {
        boolean stopped = false;
        try {
            int idle = 0;
            while (!stopped) {
                LockSupport.parkNanos(TICK_MILLIS * 1_000_000L);
                if (used) {
                    used = false;
                    idle = 0;
                } else if (++idle >= IDLE_TICKS && stopUnlessUsed()) {
                    stopped = true;
                    continue;
                }
                Runnable hook = tickHook;
                if (hook != null) {
                    hook.run();
                }
                synchronized (Ticks.class) {
                    tick = ++last;
                }
            }
        } finally {
            if (!stopped) {
                // Ended by an error: a clock that no longer advances must not look current.
                synchronized (Ticks.class) {
                    running = false;
                    tick = 0;
                }
            }
        }
    }

    private static synchronized boolean stopUnlessUsed() {
        if (used) {
            return false;
        }
        running = false;
        tick = 0;
        return true;
    }
}
