package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * The owner's side of a {@code Lock} or {@code RLock}. The holder is a process and thread;
 * a plain lock may be released by anyone (as in Python), a reentrant one only by its holder.
 * When the holder's process dies the lock passes on, and the next acquirer is told.
 */
public final class LockServer implements ObjectServer {
    /**
     * Acquire: payload empty, or (a condition's wait restoring a reentrant lock) the 4-byte hold
     * count to take; timeout as usual. Answers GRANTED or GRANTED_OWNER_DIED, or TIMEOUT.
     */
    public static final int ACQUIRE = 1;
    /** Release. */
    public static final int RELEASE = 2;
    /** Whether the lock is held: answers 1 or 0. */
    public static final int LOCKED = 3;
    /** Whether the calling thread holds it (reentrant locks): answers 1 or 0. */
    public static final int OWNED = 4;
    /**
     * Release every hold at once (a condition's wait): answers the 4-byte hold count released,
     * which a later ACQUIRE restores. Same permission as RELEASE.
     */
    public static final int RELEASE_ALL = 5;
    /** The fencing token of the calling thread's hold: answers 8 bytes, or fails if it holds none. */
    public static final int FENCE = 6;

    /** Answer of a granted acquire. */
    public static final byte GRANTED = 1;
    /** Answer of a granted acquire whose previous holder died holding it. */
    public static final byte GRANTED_OWNER_DIED = 2;

    private final boolean reentrant;
    private final String kind;
    private final Waiters waiters = new Waiters(this);
    private @Nullable String holder;
    private long holderThread;
    private int count;
    /** The token of the last hold granted; 0 before the first. */
    private long fence;
    private @Nullable String diedHolder;

    /**
     * A lock, free.
     *
     * @param reentrant true for an RLock
     */
    public LockServer(boolean reentrant) {
        this.reentrant = reentrant;
        this.kind = reentrant ? "RLock" : "Lock";
    }

    @Override
    public synchronized void handle(Request r) {
        switch (r.op()) {
            case ACQUIRE -> acquire(r);
            case RELEASE -> release(r);
            case RELEASE_ALL -> releaseAll(r);
            case LOCKED -> r.reply(bool(holder != null));
            case OWNED -> r.reply(bool(holder != null && holder.equals(r.from()) && holderThread == r.thread()));
            case FENCE -> fence(r);
            default -> r.fail(FailureKind.ERROR, kind + " has no op " + r.op());
        }
    }

    private void acquire(Request r) {
        if (holder == null) {
            grant(r);
        } else if (reentrant && holder.equals(r.from()) && holderThread == r.thread()) {
            count++;
            r.reply(ByteString.copyFrom(new byte[] {GRANTED}));
        } else if (r.timeoutNanos() == 0) {
            r.fail(FailureKind.TIMEOUT, kind + " is held by " + Router.describe(holder));
        } else {
            waiters.add(r, kind + " not acquired in time: held by " + Router.describe(holder));
        }
    }

    private void fence(Request r) {
        if (holder != null && holder.equals(r.from()) && holderThread == r.thread()) {
            r.reply(ByteString.copyFrom(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(0, fence)));
        } else {
            r.fail(FailureKind.ILLEGAL_STATE, "no fencing token: the calling thread does not hold the " + kind
                    + (holder == null ? " (it is free)" : " (" + Router.describe(holder) + " holds it)"));
        }
    }

    private void grant(Request r) {
        fence++;
        holder = r.from();
        holderThread = r.thread();
        count = r.payload().size() == Integer.BYTES ? Math.max(1, r.payload().asReadOnlyByteBuffer().getInt()) : 1;
        byte answer = GRANTED;
        String died = diedHolder;
        diedHolder = null;
        if (died != null) {
            answer = GRANTED_OWNER_DIED;
        }
        r.reply(died == null ? ByteString.copyFrom(new byte[] {answer})
                : ByteString.copyFrom(new byte[] {answer}).concat(ByteString.copyFromUtf8(died)));
    }

    private void release(Request r) {
        if (!mayRelease(r)) {
            return;
        }
        if (reentrant && --count > 0) {
            r.reply();
            return;
        }
        r.reply();
        passOn();
    }

    private void releaseAll(Request r) {
        if (!mayRelease(r)) {
            return;
        }
        r.reply(ByteString.copyFrom(java.nio.ByteBuffer.allocate(Integer.BYTES).putInt(0, count)));
        passOn();
    }

    private boolean mayRelease(Request r) {
        if (holder == null) {
            r.fail(FailureKind.ILLEGAL_STATE, "release of an unlocked " + kind);
            return false;
        }
        if (reentrant && !(holder.equals(r.from()) && holderThread == r.thread())) {
            r.fail(FailureKind.ILLEGAL_STATE, "cannot release an RLock held by another thread or process ("
                    + Router.describe(holder) + ")");
            return false;
        }
        return true;
    }

    private void passOn() {
        holder = null;
        count = 0;
        Request next = waiters.poll();
        if (next != null) {
            grant(next);
        }
    }

    @Override
    public synchronized void cancel(String from, long callId) {
        waiters.cancel(from, callId);
    }

    @Override
    public synchronized void processGone(String address) {
        waiters.dropGone(address);
        if (holder != null && Addresses.isGone(address, holder)) {
            diedHolder = Router.describe(holder);
            passOn();
        }
    }

    private static ByteString bool(boolean b) {
        return ByteString.copyFrom(new byte[] {(byte) (b ? 1 : 0)});
    }
}
