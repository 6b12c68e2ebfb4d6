package org.multiprocessing4j.internal.manager;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ProxyInfo;

/**
 * What every proxy holds: its manager's {@link ServerLink}, its referent's id and type, and
 * its reference. The reference is taken when the proxy is made (by the answer that made it) or
 * decoded (an {@code INCREF} posted from the decoding process), and given back once, by
 * {@link #close()} or when the proxy is garbage-collected (a {@link Cleaner}).
 *
 * <p>Serializable: a proxy passed to another process works there, with a reference of its own.
 */
public final class ProxyCore implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Cleaner CLEANER = Cleaner.create(
            r -> Thread.ofPlatform().daemon().name("multiprocessing4j-proxy-cleaner").unstarted(r));

    private final ServerLink link;
    private final long id;
    private final String type;
    private transient Cleaner.Cleanable reference;
    private transient volatile boolean closed;

    private ProxyCore(ServerLink link, long id, String type) {
        this.link = link;
        this.id = id;
        this.type = type;
        this.reference = CLEANER.register(this, new Release(link, id));
    }

    /**
     * The core of a proxy whose reference the server counted when it answered.
     *
     * @param link the server
     * @param info the answer's referent
     * @return the core
     */
    public static ProxyCore adopt(ServerLink link, ProxyInfo info) {
        return new ProxyCore(link, info.getObject(), info.getType());
    }

    /** {@return the server link} */
    public ServerLink link() {
        return link;
    }

    /** {@return the referent's exposed type, by name} */
    public String type() {
        return type;
    }

    /**
     * Calls a method of the referent.
     *
     * @param method         its name
     * @param parameterTypes its parameter types, which pick the overload in the server
     * @param args           its arguments; each encoded by the codec (one that cannot be fails
     *                       here, naming its class)
     * @return the result: a value, or a proxy when the method returns a registered type
     * @throws Throwable what the method threw in the server, with the server's stack trace
     *                   followed by the caller's; {@link InterruptedException} if interrupted
     *                   and the call did not complete
     */
    public @Nullable Object call(String method, Class<?>[] parameterTypes, @Nullable Object @Nullable [] args)
            throws Throwable {
        checkOpen();
        return Replies.result(link, link.call(callOf(id, method, parameterTypes, args)));
    }

    /**
     * {@return the call}
     *
     * @param id             the referent
     * @param method         the method's name
     * @param parameterTypes its parameter types
     * @param args           its arguments, each encoded by the codec
     */
    static ManagerCall callOf(long id, String method, Class<?>[] parameterTypes, @Nullable Object @Nullable [] args) {
        ManagerCall.Builder call = ManagerCall.newBuilder().setOp(ManagerOps.CALL).setObject(id).setMethod(method);
        for (Class<?> p : parameterTypes) {
            call.addParamTypes(p.getName());
        }
        if (args != null) {
            Codec codec = ProcessRuntime.current().context().codec();
            for (Object a : args) {
                call.addArgs(ByteString.copyFrom(codec.encode(a)));
            }
        }
        return call.build();
    }

    /**
     * Calls a method that cannot throw checked exceptions nor be interrupted (a map's, a
     * list's): an interrupt is kept for after the call, which is made again if the server
     * dropped it (it had not run).
     *
     * @param method         its name
     * @param parameterTypes its parameter types
     * @param args           its arguments
     * @return the result
     */
    public @Nullable Object callUnchecked(String method, Class<?>[] parameterTypes, @Nullable Object... args) {
        checkOpen();
        return Replies.uncheckedResult(link, Replies.callUninterruptibly(link, callOf(id, method, parameterTypes, args)),
                describe() + "." + method);
    }

    /** {@return a copy of a built-in referent's content, taken atomically in the server} */
    public @Nullable Object copy() {
        checkOpen();
        return Replies.uncheckedResult(link, Replies.callUninterruptibly(link,
                ManagerCall.newBuilder().setOp(ManagerOps.COPY).setObject(id).build()), describe());
    }

    /**
     * Gives the reference back (once; later calls do nothing). Calls through this proxy fail
     * from now on.
     */
    public void close() {
        closed = true;
        reference.clean();
    }

    /** {@return the referent, for messages: its type, id and manager} */
    public String describe() {
        return type.substring(type.lastIndexOf('.') + 1) + " #" + id + " of " + link.describe();
    }

    /**
     * {@return whether it is a core of the same referent of the same manager}
     *
     * @param o another object
     */
    public boolean sameReferent(@Nullable Object o) {
        return o instanceof ProxyCore other && other.id == id && other.link.equals(link);
    }

    /** {@return a hash of the referent's identity} */
    public int referentHash() {
        return Long.hashCode(id) * 31 + link.hashCode();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this proxy of " + describe() + " was closed");
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        link.post(ManagerCall.newBuilder().setOp(ManagerOps.INCREF).setObject(id).build());
        reference = CLEANER.register(this, new Release(link, id));
    }

    /** Gives a reference back; holds nothing of the proxy, so that the proxy can be collected. */
    private record Release(ServerLink link, long id) implements Runnable {
        @Override
        public void run() {
            link.post(ManagerCall.newBuilder().setOp(ManagerOps.DECREF).setObject(id).build());
        }
    }
}
