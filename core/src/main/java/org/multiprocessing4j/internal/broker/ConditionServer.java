package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The owner's side of a {@code Condition}: the waiters, in the order they began to wait, each
 * a ticket. The lock is not here; the caller holds it, and the API class releases and
 * re-acquires it around the wait.
 *
 * <p>A wait is three steps so that no notify is lost between releasing the lock and waiting:
 * ENQUEUE (while the caller still holds the lock, so its ticket is in line before any notify
 * that follows the release), then WAIT on the ticket, then — only when the WAIT did not end
 * the ticket — LEAVE. A ticket notified before its WAIT arrives is answered at once.
 *
 * <p>Every ending of a ticket happens under this server's monitor, and exactly one of them
 * wins: a notify, the WAIT's timeout, a LEAVE. So a waiter that times out is never counted by
 * a notify, and a notify never picks a ticket that has timed out; an interrupted waiter's
 * WAIT is answered CANCELLED but its ticket stays in line until its LEAVE, which says whether
 * a notify reached it meanwhile (then the waiter returns as notified, with its interrupt flag
 * set, rather than swallow the wakeup). A ticket of a process that dies is dropped; if it had
 * been notified and not yet told, its wakeup passes to the next waiter.
 */
public final class ConditionServer implements ObjectServer {
    /** Join the line of waiters: payload empty; answers the 8-byte ticket. */
    public static final int ENQUEUE = 1;
    /**
     * Wait on a ticket: payload the ticket; timeout as usual. Answers 1 when notified, TIMEOUT
     * (the ticket is gone), or CANCELLED when interrupted (the ticket stays, for LEAVE).
     */
    public static final int WAIT = 2;
    /** Leave the line: payload the ticket; answers 1 if it had been notified, else 0. */
    public static final int LEAVE = 3;
    /** Wake the oldest waiters: payload the 4-byte count; answers the 4-byte number woken. */
    public static final int NOTIFY = 4;

    private static final ByteString TRUE = ByteString.copyFrom(new byte[] {1});
    private static final ByteString FALSE = ByteString.copyFrom(new byte[] {0});

    private final Map<Long, Ticket> tickets = new LinkedHashMap<>();
    private long nextTicket;

    /** One waiter in line. */
    private static final class Ticket {
        final String from;
        boolean notified;
        @Nullable Request waiting;
        @Nullable ScheduledFuture<?> timer;

        Ticket(String from) {
            this.from = from;
        }

        void stopWaiting() {
            waiting = null;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }

    /** A condition with nobody waiting. */
    public ConditionServer() {
    }

    @Override
    public synchronized void handle(Request r) {
        switch (r.op()) {
            case ENQUEUE -> {
                long id = ++nextTicket;
                tickets.put(id, new Ticket(r.from()));
                r.reply(ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(0, id)));
            }
            case WAIT -> await(r, ticketOf(r));
            case LEAVE -> {
                Ticket t = tickets.remove(ticketOf(r));
                if (t != null) {
                    t.stopWaiting();
                }
                r.reply(t != null && t.notified ? TRUE : FALSE);
            }
            case NOTIFY -> {
                int n = r.payload().size() == Integer.BYTES ? r.payload().asReadOnlyByteBuffer().getInt() : 1;
                r.reply(ByteString.copyFrom(ByteBuffer.allocate(Integer.BYTES).putInt(0, notify(n))));
            }
            default -> r.fail(FailureKind.ERROR, "Condition has no op " + r.op());
        }
    }

    private void await(Request r, long id) {
        Ticket t = tickets.get(id);
        if (t == null || !t.from.equals(r.from()) || t.waiting != null) {
            r.fail(FailureKind.ILLEGAL_STATE, "Condition has no waiter " + id + " of " + Router.describe(r.from()));
        } else if (t.notified) {
            tickets.remove(id);
            r.reply(TRUE);
        } else if (r.timeoutNanos() == 0) {
            tickets.remove(id);
            r.fail(FailureKind.TIMEOUT, "Condition not notified");
        } else {
            t.waiting = r;
            if (r.timeoutNanos() > 0) {
                t.timer = r.router().schedule(() -> timeOut(id, r), r.timeoutNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    private synchronized void timeOut(long id, Request r) {
        Ticket t = tickets.get(id);
        if (t != null && t.waiting == r && !t.notified) {
            tickets.remove(id);
            r.fail(FailureKind.TIMEOUT, "Condition not notified in time");
        }
    }

    private int notify(int n) {
        int woken = 0;
        for (Iterator<Ticket> it = tickets.values().iterator(); it.hasNext() && woken < n; ) {
            Ticket t = it.next();
            if (t.notified) {
                continue;
            }
            t.notified = true;
            woken++;
            Request w = t.waiting;
            if (w != null) {
                it.remove();
                t.stopWaiting();
                w.reply(TRUE);
            }
        }
        return woken;
    }

    @Override
    public synchronized void cancel(String from, long callId) {
        for (Ticket t : tickets.values()) {
            Request w = t.waiting;
            if (w != null && w.id() == callId && w.from().equals(from)) {
                t.stopWaiting();
                w.fail(FailureKind.CANCELLED, "cancelled: the caller was interrupted");
                return;
            }
        }
    }

    @Override
    public synchronized void processGone(String address) {
        int lostWakeups = 0;
        for (Iterator<Ticket> it = tickets.values().iterator(); it.hasNext(); ) {
            Ticket t = it.next();
            if (Addresses.isGone(address, t.from)) {
                it.remove();
                t.stopWaiting();
                if (t.notified) {
                    lostWakeups++;
                }
            }
        }
        if (lostWakeups > 0) {
            notify(lostWakeups);
        }
    }

    private static long ticketOf(Request r) {
        return r.payload().size() == Long.BYTES ? r.payload().asReadOnlyByteBuffer().getLong() : -1;
    }
}
