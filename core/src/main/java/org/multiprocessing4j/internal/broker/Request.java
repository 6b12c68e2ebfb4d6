package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.wire.proto.Call;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.Failure;
import org.multiprocessing4j.internal.wire.proto.Reply;

/**
 * One call received by an owner, answered exactly once through {@link #reply} or {@link #fail}.
 * A call that came in a frame is answered with a reply frame (none when it was posted); a call
 * this process makes to an object it hosts itself is answered into a {@link LocalAnswer}.
 */
public final class Request {
    private final Router router;
    private final String from;
    private final long id;
    private final long object;
    private final int op;
    private final ByteString payload;
    private final long timeoutNanos;
    private final long thread;
    private final boolean oneway;
    private final @Nullable LocalAnswer local;
    /** Set once, by compare-and-set through {@link #ANSWERED} (no object of its own per call). */
    @SuppressWarnings("unused") // accessed through ANSWERED
    private volatile boolean answered;
    private static final VarHandle ANSWERED;

    static {
        try {
            ANSWERED = MethodHandles.lookup().findVarHandle(Request.class, "answered", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Request(Router router, String from, long id, long object, int op, ByteString payload,
            long timeoutNanos, long thread, boolean oneway, @Nullable LocalAnswer local) {
        this.router = router;
        this.from = from;
        this.id = id;
        this.object = object;
        this.op = op;
        this.payload = payload;
        this.timeoutNanos = timeoutNanos;
        this.thread = thread;
        this.oneway = oneway;
        this.local = local;
    }

    /**
     * A call that came in a frame from {@code from}.
     *
     * @param payload the call's payload, or one of its further payloads (a merged post)
     */
    static Request received(Router router, String from, Call call, ByteString payload) {
        return new Request(router, from, call.getId(), call.getObject(), call.getOp(), payload,
                call.getTimeoutNanos(), call.getThread(), call.getOneway(), null);
    }

    /**
     * A call of the current thread to an object this process hosts.
     *
     * @param from this process's address, or the client's it acts for ({@link OnBehalf})
     *
     * @param answer where the answer goes; null for a posted call, which gets none
     */
    static Request local(Router router, String from, long id, long object, int op, ByteString payload,
            long timeoutNanos, @Nullable LocalAnswer answer) {
        return new Request(router, from, id, object, op, payload, timeoutNanos,
                Thread.currentThread().threadId(), answer == null, answer);
    }

    /**
     * {@return the same call with another payload, unanswered (the next call of a merged post)}
     *
     * @param other a payload
     */
    Request withPayload(ByteString other) {
        return new Request(router, from, id, object, op, other, timeoutNanos, thread, oneway, local);
    }

    /** {@return the caller's address} */
    public String from() {
        return from;
    }

    /** {@return the caller's thread id, for owner-aware objects} */
    public long thread() {
        return thread;
    }

    /** {@return the operation code} */
    public int op() {
        return op;
    }

    /** {@return the call's id, unique per caller} */
    public long id() {
        return id;
    }

    /** {@return the payload} */
    public ByteString payload() {
        return payload;
    }

    /** {@return negative to wait forever, zero not to wait, else the longest wait in nanoseconds} */
    public long timeoutNanos() {
        return timeoutNanos;
    }

    /** {@return the id of the object called, in this process} */
    long object() {
        return object;
    }

    /** {@return the router, for timers} */
    public Router router() {
        return router;
    }

    /**
     * {@return false if the call was answered already (the answer is dropped)}
     *
     * @param value the result; empty for none
     */
    public boolean reply(ByteString value) {
        if (oneway) {
            return ANSWERED.compareAndSet(this, false, true);
        }
        if (local != null) {
            if (!ANSWERED.compareAndSet(this, false, true)) {
                return false;
            }
            local.complete(value);
            return true;
        }
        return answer(Reply.newBuilder().setId(id).setValue(value).build());
    }

    /** {@return false if the call was answered already} */
    public boolean reply() {
        return reply(ByteString.EMPTY);
    }

    /**
     * {@return false if the call was answered already}
     *
     * @param kind    a {@link FailureKind}
     * @param message what went wrong, for the caller's exception
     */
    public boolean fail(int kind, String message) {
        if (oneway) {
            return ANSWERED.compareAndSet(this, false, true);
        }
        if (local != null) {
            if (!ANSWERED.compareAndSet(this, false, true)) {
                return false;
            }
            local.fail(kind, message);
            return true;
        }
        return answer(Reply.newBuilder().setId(id)
                .setFailure(Failure.newBuilder().setKind(kind).setMessage(message)).build());
    }

    /** {@return true once answered} */
    public boolean isAnswered() {
        return answered;
    }

    private boolean answer(Reply reply) {
        if (!ANSWERED.compareAndSet(this, false, true)) {
            return false;
        }
        if (oneway) {
            return true;
        }
        router.send(Envelope.newBuilder().setTo(from).setFrom(router.address()).setReply(reply).build());
        return true;
    }
}
