package org.multiprocessing4j.internal.net;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Time limits for blocking socket operations that have none of their own (a handshake on a
 * blocking channel): at the deadline the channel is closed, which fails the blocked call.
 */
public final class Deadlines {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Deadlines() {
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("multiprocessing4j-deadlines").unstarted(r));
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** A pending deadline: either cancelled in time or fired, never both. */
    public static final class Deadline {
        private static final int PENDING = 0;
        private static final int CANCELLED = 1;
        private static final int FIRED = 2;
        private final AtomicInteger state = new AtomicInteger(PENDING);
        private volatile @Nullable ScheduledFuture<?> task;

        /** A deadline not yet scheduled. */
        public Deadline() {
        }

        /**
         * {@return true if the deadline was cancelled before it fired: the operation finished in
         * time (a deadline that fired, even one still closing, cannot be cancelled)}
         */
        public boolean cancel() {
            boolean inTime = state.compareAndSet(PENDING, CANCELLED);
            ScheduledFuture<?> t = task;
            if (inTime && t != null) {
                t.cancel(false);
            }
            return inTime;
        }
    }

    /**
     * {@return the deadline, to cancel once the operation finished in time}
     *
     * @param what    what to close at the deadline
     * @param timeout how long from now
     */
    public static Deadline closeAfter(Closeable what, Duration timeout) {
        Deadline d = new Deadline();
        d.task = TIMER.schedule(() -> {
            if (d.state.compareAndSet(Deadline.PENDING, Deadline.FIRED)) {
                try {
                    what.close();
                } catch (IOException ignored) {
                    // closing is the point; a failure to close leaves nothing to do
                }
            }
        }, Math.max(1, org.multiprocessing4j.internal.Primitives.saturatedNanos(timeout)), TimeUnit.NANOSECONDS);
        return d;
    }
}
