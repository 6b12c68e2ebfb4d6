package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.MultiprocessingException;

/**
 * What a remote manager's primitive calls in its client: a backend of the server (a broker
 * lock, queue, ...) reached through the client's {@link ServerLink}, one call per method. The
 * server carries each call out on the client thread's own server thread, on behalf of the
 * client (see {@code OnBehalf}), so a waiting call blocks only its caller, and what the client
 * holds is released when it ends.
 *
 * <p>Serializable: passed to a child it works there over a connection of the child's. Decoded
 * in the server itself, it is the server's own backend ({@link #readResolve}), as Python's
 * proxies are their referents in the server.
 */
abstract class RemoteBackend implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    static final Class<?>[] NONE = {};
    static final Class<?>[] LONG = {long.class};
    static final Class<?>[] INT = {int.class};

    private final ServerLink link;
    private final long id;
    private final String server;

    RemoteBackend(ServerLink link, long id, String server) {
        this.link = link;
        this.id = id;
        this.server = server;
    }

    /**
     * A call that may wait in the server: an interrupt cancels it there.
     *
     * @throws InterruptedException if interrupted before it completed
     */
    final @Nullable Object waiting(String method, Class<?>[] types, @Nullable Object... args)
            throws InterruptedException {
        try {
            return Replies.result(link, link.call(ProxyCore.callOf(id, method, types, args)));
        } catch (RuntimeException | Error | InterruptedException e) {
            throw e;
        } catch (Throwable undeclared) {
            throw new MultiprocessingException(describe() + "." + method + " threw " + undeclared, undeclared);
        }
    }

    /** A call that does not wait in the server: not interruptible (the interrupt flag is kept). */
    final @Nullable Object now(String method, Class<?>[] types, @Nullable Object... args) {
        return Replies.uncheckedResult(link, Replies.callUninterruptibly(link,
                ProxyCore.callOf(id, method, types, args)), describe() + "." + method);
    }

    /** A call with a timeout: not interruptible when it does not wait at all. */
    final @Nullable Object timed(long timeoutNanos, String method, Class<?>[] types, @Nullable Object... args)
            throws InterruptedException {
        return timeoutNanos == 0 ? now(method, types, args) : waiting(method, types, args);
    }

    /** {@return the server's own backend when decoded in the server, else this} */
    @Serial
    protected final Object readResolve() {
        Object own = ObjectTable.servedHere(server, id);
        return own != null ? own : this;
    }

    private String describe() {
        return getClass().getSimpleName() + " #" + id + " of the manager " + link.describe();
    }

    @Override
    public final boolean equals(@Nullable Object o) {
        return o instanceof RemoteBackend other && other.id == id && other.server.equals(server);
    }

    @Override
    public final int hashCode() {
        return Objects.hash(server, id);
    }

    @Override
    public final String toString() {
        return describe();
    }
}
