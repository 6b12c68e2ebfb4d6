package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * Where the answer to a call lands when the caller and the owner are the same process: no
 * envelope, no reply frame, no pending entry. Completed once by the {@link Request} (on the
 * caller's thread when the object answers at once, else on whichever thread serves it later)
 * and read by the caller. Guarded by its own monitor.
 */
final class LocalAnswer {
    private @Nullable ByteString value;
    private int failureKind;
    private @Nullable String failureMessage;
    private boolean done;

    /** @param v the result; wakes the caller */
    synchronized void complete(ByteString v) {
        value = v;
        done = true;
        notifyAll();
    }

    /**
     * @param kind    a {@link FailureKind}
     * @param message the owner's words
     */
    synchronized void fail(int kind, String message) {
        failureKind = kind;
        failureMessage = message;
        done = true;
        notifyAll();
    }

    /** {@return true once answered} */
    synchronized boolean isDone() {
        return done;
    }

    /**
     * Waits for the answer.
     *
     * @throws InterruptedException if interrupted before it came
     */
    synchronized void await() throws InterruptedException {
        while (!done) {
            wait();
        }
    }

    /** Waits for the answer, interrupts or not (the caller restores its flag itself). */
    synchronized void awaitUninterruptibly() {
        while (!done) {
            try {
                wait();
            } catch (InterruptedException e) {
                // the caller is already handling an interrupt: the answer comes soon, since the
                // call was cancelled
            }
        }
    }

    /** {@return true if answered with a failure of {@code kind}} */
    synchronized boolean failedWith(int kind) {
        return done && failureMessage != null && failureKind == kind;
    }

    /**
     * {@return the result, once answered}
     *
     * @throws RemoteFailure on a failure answer
     */
    synchronized ByteString result() {
        if (failureMessage != null) {
            throw new RemoteFailure(failureKind, failureMessage);
        }
        return value == null ? ByteString.EMPTY : value;
    }
}
