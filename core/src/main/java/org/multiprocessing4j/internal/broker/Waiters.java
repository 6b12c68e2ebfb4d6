package org.multiprocessing4j.internal.broker;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The calls an object keeps until it can answer them, in arrival order, each with its timeout.
 * Guarded by the owning server's monitor: every method is called while holding {@code lock}.
 */
public final class Waiters {
    private final Object lock;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();

    /** A kept call and its timer. */
    private record Entry(Request request, @Nullable ScheduledFuture<?> timer) {
    }

    /**
     * No kept call yet.
     *
     * @param lock the server's monitor, which the timer takes before timing a call out
     */
    public Waiters(Object lock) {
        this.lock = lock;
    }

    /**
     * Keeps a call; when its timeout passes first, it is answered with
     * {@link FailureKind#TIMEOUT} and {@code timeoutMessage}.
     *
     * @param request        the call, with a non-zero timeout
     * @param timeoutMessage the message of the timeout failure
     */
    public void add(Request request, String timeoutMessage) {
        add(request, r -> r.fail(FailureKind.TIMEOUT, timeoutMessage));
    }

    /**
     * Keeps a call; when its timeout passes first, it is no longer kept and {@code onTimeout}
     * runs, holding {@code lock}, to answer it (and do whatever else a timeout means to the
     * object, such as breaking a barrier).
     *
     * @param request   the call, with a non-zero timeout
     * @param onTimeout answers the timed-out call; called at most once, holding {@code lock}
     */
    public void add(Request request, Consumer<Request> onTimeout) {
        ScheduledFuture<?> timer = null;
        if (request.timeoutNanos() > 0) {
            timer = request.router().schedule(() -> {
                synchronized (lock) {
                    if (removeRequest(request)) {
                        onTimeout.accept(request);
                    }
                }
            }, request.timeoutNanos(), TimeUnit.NANOSECONDS);
        }
        queue.addLast(new Entry(request, timer));
    }

    /**
     * Keeps a call without a timer, whatever its timeout (its timeout starts later, when it is
     * kept again with {@link #add}).
     *
     * @param request the call
     */
    public void addUntimed(Request request) {
        queue.addLast(new Entry(request, null));
    }

    /** Stops the timers of every kept call; they stay kept, and can now only be answered. */
    public void stopTimers() {
        java.util.List<Entry> entries = new java.util.ArrayList<>(queue);
        queue.clear();
        for (Entry e : entries) {
            if (e.timer() != null) {
                e.timer().cancel(false);
            }
            queue.addLast(new Entry(e.request(), null));
        }
    }

    /** {@return the oldest kept call, still kept, or null} */
    public @Nullable Request peek() {
        Entry e = queue.peekFirst();
        return e == null ? null : e.request();
    }

    /** {@return the oldest kept call, no longer kept (its timer stopped), or null} */
    public @Nullable Request poll() {
        Entry e = queue.pollFirst();
        if (e == null) {
            return null;
        }
        if (e.timer() != null) {
            e.timer().cancel(false);
        }
        return e.request();
    }

    /** {@return true if no call is kept} */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** {@return how many calls are kept} */
    public int size() {
        return queue.size();
    }

    /**
     * Stops keeping the calls that match, and returns them.
     *
     * @param match which calls
     * @return the removed calls, in arrival order
     */
    public java.util.List<Request> removeIf(Predicate<Request> match) {
        java.util.List<Request> removed = new java.util.ArrayList<>();
        for (Iterator<Entry> it = queue.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (match.test(e.request())) {
                it.remove();
                if (e.timer() != null) {
                    e.timer().cancel(false);
                }
                removed.add(e.request());
            }
        }
        return removed;
    }

    /**
     * Answers the kept call {@code callId} of {@code from} with CANCELLED, if it is kept.
     *
     * @param from   the caller's address
     * @param callId the call's id
     */
    public void cancel(String from, long callId) {
        for (Request r : removeIf(r -> r.id() == callId && r.from().equals(from))) {
            r.fail(FailureKind.CANCELLED, "cancelled: the caller was interrupted");
        }
    }

    /**
     * Answers every kept call with NO_SUCH_OBJECT: the object was released.
     *
     * @param why the failure's message, naming the object
     */
    public void failAll(String why) {
        for (Request r : removeIf(r -> true)) {
            r.fail(FailureKind.NO_SUCH_OBJECT, why);
        }
    }

    /**
     * Drops the kept calls of a process that is gone, and of its descendants.
     *
     * @param address the address of the process that is gone
     */
    public void dropGone(String address) {
        removeIf(r -> Addresses.isGone(address, r.from()));
    }

    private boolean removeRequest(Request request) {
        return !removeIf(r -> r == request).isEmpty();
    }
}
