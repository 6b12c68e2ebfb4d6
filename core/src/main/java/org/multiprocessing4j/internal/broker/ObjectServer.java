package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;

/**
 * The owner's side of one object. Called on link reader threads and on callers' threads, so
 * implementations are thread-safe, and they never block: a call that must wait is kept (see
 * {@link Waiters}) and answered later.
 */
public interface ObjectServer {

    /**
     * Handles one call; must eventually answer it exactly once, by reply or failure.
     *
     * @param request the call, never null
     */
    void handle(Request request);

    /**
     * Handles a run of posts that came in one frame (one thread, one op): {@code first}, then
     * the same call with each of {@code more}, in order, as {@link #handle} would one by one. A
     * server may take the run under one lock, or whole.
     *
     * @param first the first call
     * @param more  the payloads of the calls after it
     */
    default void handleAll(Request first, java.util.List<ByteString> more) {
        handle(first);
        for (ByteString payload : more) {
            handle(first.withPayload(payload));
        }
    }

    /**
     * The caller of a kept call was interrupted: answer it with {@link FailureKind#CANCELLED}
     * if it still waits here; do nothing if it was answered already.
     *
     * @param from   the caller's address
     * @param callId the call's id
     */
    default void cancel(String from, long callId) {
    }

    /**
     * A process and all its descendants are gone: release what they held, drop their kept calls.
     *
     * @param address the address of the process that ended
     */
    default void processGone(String address) {
    }

    /**
     * The owner let the object go ({@link Router#release}): answer every kept call with
     * {@link FailureKind#NO_SUCH_OBJECT} and {@code why}, and drop what the object holds. Later
     * calls never reach it.
     *
     * @param why what to tell the callers, naming the object
     */
    default void release(String why) {
    }
}
