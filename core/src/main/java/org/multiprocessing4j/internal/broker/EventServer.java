package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;

/**
 * The owner's side of an {@code Event}: a flag, and the calls waiting for it to be set, all
 * answered when it is.
 */
public final class EventServer implements ObjectServer {
    /** Set the flag and answer every waiter. */
    public static final int SET = 1;
    /** Clear the flag. */
    public static final int CLEAR = 2;
    /** Whether the flag is set: answers 1 or 0. */
    public static final int IS_SET = 3;
    /** Wait for the flag: answers 1, or TIMEOUT; timeout as usual. */
    public static final int WAIT = 4;

    private static final ByteString TRUE = ByteString.copyFrom(new byte[] {1});
    private static final ByteString FALSE = ByteString.copyFrom(new byte[] {0});

    private final Waiters waiters = new Waiters(this);
    private boolean flag;

    /** An event, not set. */
    public EventServer() {
    }

    @Override
    public synchronized void handle(Request r) {
        switch (r.op()) {
            case SET -> {
                flag = true;
                r.reply();
                for (Request w = waiters.poll(); w != null; w = waiters.poll()) {
                    w.reply(TRUE);
                }
            }
            case CLEAR -> {
                flag = false;
                r.reply();
            }
            case IS_SET -> r.reply(flag ? TRUE : FALSE);
            case WAIT -> {
                if (flag) {
                    r.reply(TRUE);
                } else if (r.timeoutNanos() == 0) {
                    r.fail(FailureKind.TIMEOUT, "Event is not set");
                } else {
                    waiters.add(r, "Event not set in time");
                }
            }
            default -> r.fail(FailureKind.ERROR, "Event has no op " + r.op());
        }
    }

    @Override
    public synchronized void cancel(String from, long callId) {
        waiters.cancel(from, callId);
    }

    @Override
    public synchronized void processGone(String address) {
        waiters.dropGone(address);
    }
}
