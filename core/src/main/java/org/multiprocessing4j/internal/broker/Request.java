package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.util.concurrent.atomic.AtomicBoolean;
import org.multiprocessing4j.internal.wire.proto.Call;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.Failure;
import org.multiprocessing4j.internal.wire.proto.Reply;

/** One call received by an owner, answered exactly once through {@link #reply} or {@link #fail}. */
public final class Request {
    private final Router router;
    private final String from;
    private final Call call;
    private final AtomicBoolean answered = new AtomicBoolean();

    Request(Router router, String from, Call call) {
        this.router = router;
        this.from = from;
        this.call = call;
    }

    /** @return the caller's address */
    public String from() {
        return from;
    }

    /** @return the caller's thread id, for owner-aware objects */
    public long thread() {
        return call.getThread();
    }

    /** @return the operation code */
    public int op() {
        return call.getOp();
    }

    /** @return the call's id, unique per caller */
    public long id() {
        return call.getId();
    }

    /** @return the payload */
    public ByteString payload() {
        return call.getPayload();
    }

    /** @return negative to wait forever, zero not to wait, else the longest wait in nanoseconds */
    public long timeoutNanos() {
        return call.getTimeoutNanos();
    }

    /** @return the router, for timers */
    public Router router() {
        return router;
    }

    /**
     * @param value the result; empty for none
     * @return false if the call was answered already (the answer is dropped)
     */
    public boolean reply(ByteString value) {
        return answer(Reply.newBuilder().setId(call.getId()).setValue(value).build());
    }

    /** @return false if the call was answered already */
    public boolean reply() {
        return reply(ByteString.EMPTY);
    }

    /**
     * @param kind    a {@link FailureKind}
     * @param message what went wrong, for the caller's exception
     * @return false if the call was answered already
     */
    public boolean fail(int kind, String message) {
        return answer(Reply.newBuilder().setId(call.getId())
                .setFailure(Failure.newBuilder().setKind(kind).setMessage(message)).build());
    }

    /** @return true once answered */
    public boolean isAnswered() {
        return answered.get();
    }

    private boolean answer(Reply reply) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        if (call.getOneway()) {
            return true;
        }
        router.send(Envelope.newBuilder().setTo(from).setFrom(router.address()).setReply(reply).build());
        return true;
    }
}
