package org.multiprocessing4j.internal.net;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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

    /**
     * @param what    what to close at the deadline
     * @param timeout how long from now
     * @return the handle to cancel once the operation finished in time
     */
    public static ScheduledFuture<?> closeAfter(Closeable what, Duration timeout) {
        return TIMER.schedule(() -> {
            try {
                what.close();
            } catch (IOException ignored) {
                // closing is the point; a failure to close leaves nothing to do
            }
        }, Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }
}
