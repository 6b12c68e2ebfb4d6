package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The owner's side of a {@code Barrier}: the parties waiting in this generation, in arrival
 * order, which is also their index.
 *
 * <p>The action, if any, runs in the caller's process, not here: the last arrival is answered
 * RUN_ACTION instead of being released; it runs the action and says ACTION_DONE, and only then
 * are the others released (or, if the action failed, the barrier breaks). While the action
 * runs, new arrivals wait to enter, as Python's threads wait for the condition's lock.
 *
 * <p>The barrier breaks — every waiting party is answered BROKEN, and so is every later arrival
 * until RESET — on ABORT, when a waiting party's timeout passes, when a waiting party is
 * interrupted, when its process (or the action runner's) dies, and when the action fails.
 */
public final class BarrierServer implements ObjectServer {
    /** Arrive: payload empty; timeout as usual. Answers {@link #RELEASED} or {@link #RUN_ACTION}, or BROKEN. */
    public static final int ARRIVE = 1;
    /** The action ran: payload the 8-byte generation of RUN_ACTION and 1 (it succeeded) or 0. */
    public static final int ACTION_DONE = 2;
    /** Break the barrier for the parties waiting, then make it new. */
    public static final int RESET = 3;
    /** Break the barrier. */
    public static final int ABORT = 4;
    /** The number of parties waiting: answers 4 bytes. */
    public static final int N_WAITING = 5;
    /** Whether it is broken: answers 1 or 0. */
    public static final int IS_BROKEN = 6;

    /** Answer of ARRIVE: released; followed by the 4-byte index. */
    public static final byte RELEASED = 1;
    /** Answer of ARRIVE to the last party: run the action; followed by the 4-byte index and 8-byte generation. */
    public static final byte RUN_ACTION = 2;

    private final int parties;
    private final boolean hasAction;
    private final Waiters waiting = new Waiters(this);
    private final Waiters entering = new Waiters(this);
    private long generation;
    private @Nullable String actionRunner;
    private @Nullable String broken;

    /**
     * A barrier with nobody waiting.
     *
     * @param parties   how many parties the barrier waits for, at least 1
     * @param hasAction whether the last arrival runs an action before the others are released
     */
    public BarrierServer(int parties, boolean hasAction) {
        this.parties = parties;
        this.hasAction = hasAction;
    }

    @Override
    public synchronized void handle(Request r) {
        switch (r.op()) {
            case ARRIVE -> arrive(r);
            case ACTION_DONE -> actionDone(r);
            case RESET -> {
                if (!waiting.isEmpty() || actionRunner != null) {
                    breakBarrier("the Barrier was reset while waiting");
                }
                broken = null;
                r.reply();
                admitEntering();
            }
            case ABORT -> {
                breakBarrier("the Barrier was aborted");
                r.reply();
            }
            case N_WAITING -> r.reply(ByteString.copyFrom(ByteBuffer.allocate(Integer.BYTES).putInt(0, waiting.size())));
            case IS_BROKEN -> r.reply(ByteString.copyFrom(new byte[] {(byte) (broken != null ? 1 : 0)}));
            default -> r.fail(FailureKind.ERROR, "Barrier has no op " + r.op());
        }
    }

    private void arrive(Request r) {
        if (broken != null) {
            r.fail(FailureKind.BROKEN, "the Barrier is broken: " + broken);
        } else if (actionRunner != null) {
            // As Python's threads waiting for the barrier's lock: no timeout until it is let in.
            entering.addUntimed(r);
        } else if (waiting.size() == parties - 1) {
            int index = parties - 1;
            if (hasAction) {
                actionRunner = r.from();
                // The action runs under the barrier, as in Python and CyclicBarrier: the waiting
                // parties' timeouts cannot break a round whose last party has arrived.
                waiting.stopTimers();
                r.reply(ByteString.copyFrom(ByteBuffer.allocate(1 + Integer.BYTES + Long.BYTES)
                        .put(0, RUN_ACTION).putInt(1, index).putLong(1 + Integer.BYTES, generation)));
            } else {
                release();
                r.reply(released(index));
            }
        } else if (r.timeoutNanos() == 0) {
            timedOut(r);
        } else {
            waiting.add(r, this::timedOut);
        }
    }

    private void actionDone(Request r) {
        ByteBuffer p = r.payload().asReadOnlyByteBuffer();
        if (p.remaining() != Long.BYTES + 1 || actionRunner == null || p.getLong(0) != generation) {
            r.fail(FailureKind.BROKEN, "the Barrier was "
                    + (broken == null ? "reset" : "broken (" + broken + ")") + " while its action ran");
            return;
        }
        actionRunner = null;
        if (p.get(Long.BYTES) == 1) {
            release();
        } else {
            breakBarrier("its action failed in " + Router.describe(r.from()));
        }
        r.reply();
        admitEntering();
    }

    private void release() {
        int index = 0;
        for (Request w = waiting.poll(); w != null; w = waiting.poll()) {
            w.reply(released(index++));
        }
        generation++;
    }

    private void timedOut(Request r) {
        breakBarrier("a party timed out in " + Router.describe(r.from()));
        r.fail(FailureKind.BROKEN, "the Barrier is broken: " + broken);
    }

    private void breakBarrier(String why) {
        broken = why;
        actionRunner = null;
        generation++;
        for (Request w : waiting.removeIf(w -> true)) {
            w.fail(FailureKind.BROKEN, "the Barrier is broken: " + why);
        }
        for (Request w : entering.removeIf(w -> true)) {
            w.fail(FailureKind.BROKEN, "the Barrier is broken: " + why);
        }
    }

    private void admitEntering() {
        List<Request> next = new ArrayList<>();
        for (Request w = entering.poll(); w != null; w = entering.poll()) {
            next.add(w);
        }
        next.forEach(this::arrive);
    }

    @Override
    public synchronized void cancel(String from, long callId) {
        entering.cancel(from, callId);
        List<Request> cancelled = waiting.removeIf(w -> w.id() == callId && w.from().equals(from));
        if (!cancelled.isEmpty()) {
            breakBarrier("a party was interrupted in " + Router.describe(from));
            cancelled.forEach(w -> w.fail(FailureKind.CANCELLED, "cancelled: the caller was interrupted"));
        }
    }

    @Override
    public synchronized void processGone(String address) {
        entering.dropGone(address);
        List<Request> dead = waiting.removeIf(w -> Addresses.isGone(address, w.from()));
        String runner = actionRunner;
        if (!dead.isEmpty()) {
            breakBarrier(Router.describe(dead.getFirst().from()) + " died waiting");
        } else if (runner != null && Addresses.isGone(address, runner)) {
            breakBarrier(Router.describe(runner) + " died running its action");
        }
    }

    private static ByteString released(int index) {
        return ByteString.copyFrom(ByteBuffer.allocate(1 + Integer.BYTES).put(0, RELEASED).putInt(1, index));
    }
}
