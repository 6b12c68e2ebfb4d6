package org.multiprocessing4j.internal.manager;

import java.io.Serializable;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ManagerReply;

/**
 * How proxies reach their manager's server: along the process tree ({@link TreeLink}), or
 * over authenticated connections to a remote manager ({@link RemoteLink}). Travels inside
 * proxies; usable from any thread.
 */
public interface ServerLink extends Serializable {

    /**
     * Makes a call and waits for its answer. When the caller is interrupted, the server is
     * asked to interrupt the call; if it completed anyway, its answer is returned with the
     * interrupt flag set again.
     *
     * @param call the call
     * @return the server's answer
     * @throws InterruptedException if interrupted and the call did not complete
     * @throws org.multiprocessing4j.ProcessGoneException if the server is gone, or cannot be
     *         reached any more; the message names the manager
     */
    ManagerReply call(ManagerCall call) throws InterruptedException;

    /**
     * Sends a call without waiting for its answer ({@code INCREF}, {@code DECREF}): never
     * blocks on the server, never throws.
     *
     * @param call the call
     */
    void post(ManagerCall call);

    /** {@return the manager, for messages: its name and where it is} */
    String describe();
}
