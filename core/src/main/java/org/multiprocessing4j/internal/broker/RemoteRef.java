package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.io.Serial;
import java.io.Serializable;
import org.multiprocessing4j.internal.ProcessRuntime;

/**
 * The handle of an object hosted by its owner: what a primitive captured by a target becomes
 * on the wire, and what it calls through in any process, the owner's included.
 *
 * @param owner  the owner's address
 * @param object the object's id in the owner
 */
public record RemoteRef(String owner, long object) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Hosts {@code server} in this process.
     *
     * @param server the object's server
     * @return its handle
     */
    public static RemoteRef host(ObjectServer server) {
        ProcessRuntime rt = ProcessRuntime.current();
        return new RemoteRef(rt.identity(), rt.router().register(server));
    }

    /**
     * Lets the object go, in its owner (see {@link Router#release}).
     *
     * @param why what later callers are told
     * @throws IllegalStateException if this process is not the owner
     */
    public void release(String why) {
        ProcessRuntime rt = ProcessRuntime.current();
        if (!rt.identity().equals(owner)) {
            throw new IllegalStateException("only the owner releases an object: " + describe() + " is not hosted by "
                    + Router.describe(rt.identity()));
        }
        rt.router().release(object, why);
    }

    /**
     * Calls the object.
     *
     * @param op           the operation
     * @param payload      its argument
     * @param timeoutNanos see {@link Router#call}
     * @return the result
     * @throws RemoteFailure        on a failure answer
     * @throws InterruptedException if interrupted first
     */
    public ByteString call(int op, ByteString payload, long timeoutNanos) throws InterruptedException {
        return ProcessRuntime.current().router().call(owner, object, op, payload, timeoutNanos);
    }

    /**
     * Posts a call: sends it and returns, waiting for no answer (the owner sends none). Calls
     * this process makes to the owner afterwards reach it after this one.
     *
     * @param op      the operation
     * @param payload its argument
     * @throws RemoteFailure of kind {@link FailureKind#GONE} if the owner is known to be gone
     */
    public void post(int op, ByteString payload) {
        Router router = ProcessRuntime.current().router();
        if (router.isKnownGone(owner)) {
            throw new RemoteFailure(FailureKind.GONE, describe() + ": " + Router.describe(owner) + " is gone");
        }
        router.post(owner, object, op, payload);
    }

    /**
     * Calls the object without waiting on the owner (a non-blocking operation): an interrupt
     * cannot leave it half done, so it is not interruptible.
     *
     * @param op      the operation
     * @param payload its argument
     * @return the result
     * @throws RemoteFailure on a failure answer
     */
    public ByteString callNow(int op, ByteString payload) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return call(op, payload, 0);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@return the owner's name for messages} */
    public String ownerName() {
        return Router.describe(owner);
    }

    /** {@return the owner's name and the object's id, for messages} */
    public String describe() {
        return ownerName() + " #" + object;
    }
}
