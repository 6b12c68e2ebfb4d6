package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The owner's side of a {@code Semaphore} or {@code BoundedSemaphore}: a count of permits,
 * taken by ACQUIRE and given back by RELEASE, from any process (as in Python).
 *
 * <p>A {@code Semaphore} is a counter, as in Python: a permit a process takes is taken for
 * good, whether that process then ends or dies (it may be a signal consumed). A
 * {@code BoundedSemaphore} guards a resource, so for faults it keeps, per process, how many
 * permits that process acquired and has not released itself: when a process dies, those
 * permits come back (never above the bound), and the next acquirer is told. A release by a
 * process that holds none is a plain release: it adds a permit without touching anyone's
 * count. A release that would take the count past {@link Integer#MAX_VALUE} fails, as Python's
 * past its {@code SEM_VALUE_MAX}.
 */
public final class SemaphoreServer implements ObjectServer {
    /** Acquire one permit: payload empty; timeout as usual. Answers like {@link LockServer#ACQUIRE}. */
    public static final int ACQUIRE = 1;
    /** Release one permit; ILLEGAL_STATE past a bound. */
    public static final int RELEASE = 2;
    /** The number of free permits: answers 4 bytes. */
    public static final int VALUE = 3;

    private final String kind;
    private final int bound;
    private final Waiters waiters = new Waiters(this);
    private final Map<String, Integer> held = new HashMap<>();
    private final Set<String> diedHolders = new LinkedHashSet<>();
    private int value;

    /**
     * A semaphore with {@code value} free permits.
     *
     * @param value   the initial number of permits, not negative
     * @param bounded true for a BoundedSemaphore, whose bound is {@code value}
     */
    public SemaphoreServer(int value, boolean bounded) {
        this.value = value;
        this.bound = bounded ? value : -1;
        this.kind = bounded ? "BoundedSemaphore" : "Semaphore";
    }

    @Override
    public synchronized void handle(Request r) {
        switch (r.op()) {
            case ACQUIRE -> acquire(r);
            case RELEASE -> release(r);
            case VALUE -> r.reply(ByteString.copyFrom(ByteBuffer.allocate(Integer.BYTES).putInt(0, value)));
            default -> r.fail(FailureKind.ERROR, kind + " has no op " + r.op());
        }
    }

    private void acquire(Request r) {
        if (value > 0 && waiters.isEmpty()) {
            grant(r);
        } else if (r.timeoutNanos() == 0) {
            r.fail(FailureKind.TIMEOUT, kind + " has no free permit");
        } else {
            waiters.add(r, kind + " not acquired in time: no free permit");
        }
    }

    private void grant(Request r) {
        value--;
        if (bound >= 0) {
            held.merge(r.from(), 1, Integer::sum);
        }
        if (diedHolders.isEmpty()) {
            r.reply(ByteString.copyFrom(new byte[] {LockServer.GRANTED}));
            return;
        }
        String died = String.join(", ", diedHolders);
        diedHolders.clear();
        r.reply(ByteString.copyFrom(new byte[] {LockServer.GRANTED_OWNER_DIED}).concat(ByteString.copyFromUtf8(died)));
    }

    private void release(Request r) {
        if (bound >= 0 && value >= bound) {
            r.fail(FailureKind.ILLEGAL_STATE, kind + " released too many times: its bound is " + bound);
            return;
        }
        if (value == Integer.MAX_VALUE) {
            r.fail(FailureKind.ILLEGAL_STATE, kind + " released too many times: it holds at most "
                    + Integer.MAX_VALUE + " permits");
            return;
        }
        held.computeIfPresent(r.from(), (k, n) -> n > 1 ? n - 1 : null);
        value++;
        r.reply();
        passOn();
    }

    private void passOn() {
        while (value > 0 && !waiters.isEmpty()) {
            Request next = waiters.poll();
            if (next != null) {
                grant(next);
            }
        }
    }

    @Override
    public synchronized void cancel(String from, long callId) {
        waiters.cancel(from, callId);
    }

    @Override
    public synchronized void processGone(String address) {
        waiters.dropGone(address);
        for (Iterator<Map.Entry<String, Integer>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Integer> e = it.next();
            if (Addresses.isGone(address, e.getKey())) {
                it.remove();
                value = (int) Math.min(bound >= 0 ? bound : Integer.MAX_VALUE, (long) value + e.getValue());
                diedHolders.add(Router.describe(e.getKey()));
            }
        }
        passOn();
    }
}
