package org.multiprocessing4j.internal.manager;

import com.google.protobuf.ByteString;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.ManagerFactory;
import org.multiprocessing4j.internal.broker.OnBehalf;
import org.multiprocessing4j.internal.manager.proto.Backends;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ManagerReply;
import org.multiprocessing4j.internal.manager.proto.ProxyInfo;
import org.multiprocessing4j.internal.pool.FailureReport;

/**
 * The shared objects a manager's server holds (its referents), and what each call does to
 * them. Front ends ({@link ManagerServer} for the process tree, {@link RemoteServer} for remote
 * connections) call {@link #handle} on a thread of their own per call, which may block as long
 * as the referent's method does.
 *
 * <p><b>References.</b> Each referent counts its references per holder: a process address in
 * the tree, a session for a remote client. A proxy made in a holder adds one (the answer that
 * made it, or {@code INCREF} when a proxy is decoded there); a proxy closed or collected takes
 * one off ({@code DECREF}); a holder that is gone takes all its own off. A referent nobody
 * holds is dropped. A method that returns the same object twice returns the same referent.
 *
 * <p>Thread-safe: the table is guarded by its monitor; methods of referents run outside it.
 */
public final class ObjectTable {
    /** The tables of the servers this process runs, by their names for themselves. */
    private static final Map<String, ObjectTable> SERVED = new ConcurrentHashMap<>();

    private final String server = UUID.randomUUID().toString();
    private final Registrations registrations;
    private final PrimitiveMaker primitives;
    private final Codec codec;
    private final Methods methods = new Methods();
    private final Map<Long, Entry> entries = new HashMap<>();
    private final IdentityHashMap<Object, Long> ids = new IdentityHashMap<>();
    private long lastId;

    /**
     * A referent, its exposed type and who holds it how many times. A pinned one (a primitive's
     * backend, made for a remote client) is held by the server until it ends, as the
     * primitives it makes for its tree are.
     */
    private static final class Entry {
        final Object referent;
        final Class<?> type;
        final boolean pinned;
        final Map<String, Integer> holders = new HashMap<>();

        Entry(Object referent, Class<?> type, boolean pinned) {
            this.referent = referent;
            this.type = type;
            this.pinned = pinned;
        }

        boolean unheld() {
            return holders.isEmpty() && !pinned;
        }
    }

    /**
     * An empty table.
     *
     * @param registrations the registered types
     * @param primitives    makes queues, locks, ... in this process
     * @param codec         the codec of the server's context
     */
    public ObjectTable(Registrations registrations, PrimitiveMaker primitives, Codec codec) {
        this.registrations = registrations;
        this.primitives = primitives;
        this.codec = codec;
        SERVED.put(server, this);
    }

    /**
     * A referent of a server of this process, for a backend proxy decoded here.
     *
     * @param server the server's name for itself
     * @param id     the referent's id
     * @return the referent, or null if that server is not this process's
     */
    static @Nullable Object servedHere(String server, long id) {
        ObjectTable table = SERVED.get(server);
        if (table == null) {
            return null;
        }
        synchronized (table) {
            Entry e = table.entries.get(id);
            return e == null ? null : e.referent;
        }
    }

    /**
     * Carries out one call; blocks as long as the called method does.
     *
     * @param call   the call
     * @param holder who calls: a process address, or a remote session
     * @return the answer
     * @throws InterruptedException if the method was interrupted (its caller cancelled it)
     */
    public ManagerReply handle(ManagerCall call, String holder) throws InterruptedException {
        try {
            return switch (call.getOp()) {
                case ManagerOps.CREATE -> create(call, holder);
                case ManagerOps.BUILTIN -> {
                    BuiltIns.Made made = BuiltIns.make(call.getType(), decodeArgs(call));
                    yield proxy(register(made.referent(), made.type(), holder), made.type());
                }
                case ManagerOps.PRIMITIVE -> {
                    Object made = primitives.make(call.getType(), decodeArgs(call));
                    yield RemoteSessions.isRemote(holder) ? backends(made) : value(made);
                }
                case ManagerOps.CALL -> invoke(call, holder);
                case ManagerOps.COPY -> value(BuiltIns.copy(entry(call.getObject()).referent), holder);
                case ManagerOps.INCREF -> {
                    incref(call.getObject(), holder);
                    yield value(null);
                }
                case ManagerOps.DECREF -> {
                    decref(call.getObject(), holder);
                    yield value(null);
                }
                case ManagerOps.COUNT -> value(count());
                default -> error("a manager has no operation " + call.getOp());
            };
        } catch (NoSuchReferent e) {
            return error(e.getMessage());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | LinkageError | AssertionError e) {
            return failure(e);
        }
    }

    /** {@return the number of referents held by proxies (pinned backends are not counted)} */
    public synchronized int count() {
        return (int) entries.values().stream().filter(e -> !e.pinned).count();
    }

    /**
     * Takes off every reference of the holders that are gone.
     *
     * @param gone which holders are gone
     */
    public synchronized void holdersGone(Predicate<String> gone) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            e.holders.keySet().removeIf(gone);
            if (e.unheld()) {
                ids.remove(e.referent);
                it.remove();
            }
        }
    }

    private ManagerReply create(ManagerCall call, String holder) throws Exception {
        String name = call.getType();
        Class<?> type = registrations.type(name);
        ManagerFactory<?> factory = registrations.factory(name);
        if (type == null || factory == null) {
            return error(type == null ? name + " is not registered with this manager"
                    : name + " is registered without a factory: only methods return its objects");
        }
        Object made = factory.create(decodeArgs(call));
        if (!type.isInstance(made)) {
            throw new IllegalStateException("the factory of " + name + " returned "
                    + (made == null ? "null" : "a " + made.getClass().getName() + ", not a " + name));
        }
        return proxy(register(made, type, holder), type);
    }

    private ManagerReply invoke(ManagerCall call, String holder) throws Exception {
        Entry e = entry(call.getObject());
        Method m = methods.find(e.type, call.getMethod(), call.getParamTypesList());
        Object[] args = decodeArgs(call);
        Object result;
        try {
            result = m.invoke(e.referent, args);
        } catch (InvocationTargetException thrown) {
            Throwable t = thrown.getCause();
            if (t instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            return failure(t);
        }
        if (result != null && registrations.isRegistered(m.getReturnType())) {
            return proxy(register(result, m.getReturnType(), holder), m.getReturnType());
        }
        return value(result, holder);
    }

    private synchronized long register(Object referent, Class<?> type, String holder) {
        long id = idOf(referent, type, false);
        entries.get(id).holders.merge(holder, 1, Integer::sum);
        return id;
    }

    private synchronized long idOf(Object referent, Class<?> type, boolean pinned) {
        Long known = ids.get(referent);
        if (known != null) {
            return known;
        }
        long id = ++lastId;
        entries.put(id, new Entry(referent, type, pinned));
        ids.put(referent, id);
        return id;
    }

    /** A remote client's primitive: its backends, pinned, for the client's proxies to call. */
    private ManagerReply backends(Object primitive) {
        Backends.Builder b = Backends.newBuilder().setServer(server);
        for (Object backend : primitives.backends(primitive)) {
            Class<?> spi = RemoteBackends.spiOf(backend);
            b.addBackend(ProxyInfo.newBuilder().setObject(idOf(backend, spi, true)).setType(spi.getName()));
        }
        return ManagerReply.newBuilder().setBackends(b).build();
    }

    private synchronized void incref(long id, String holder) throws NoSuchReferent {
        entry(id).holders.merge(holder, 1, Integer::sum);
    }

    private synchronized void decref(long id, String holder) {
        Entry e = entries.get(id);
        if (e == null) {
            return;
        }
        e.holders.computeIfPresent(holder, (h, n) -> n > 1 ? n - 1 : null);
        if (e.unheld()) {
            entries.remove(id);
            ids.remove(e.referent);
        }
    }

    private synchronized Entry entry(long id) throws NoSuchReferent {
        Entry e = entries.get(id);
        if (e == null) {
            throw new NoSuchReferent("the manager holds no object #" + id + " (every proxy of it was released)");
        }
        return e;
    }

    private @Nullable Object[] decodeArgs(ManagerCall call) {
        @Nullable Object[] args = new Object[call.getArgsCount()];
        for (int i = 0; i < args.length; i++) {
            args[i] = codec.decode(call.getArgs(i).toByteArray());
        }
        return args;
    }

    private ManagerReply value(@Nullable Object value) {
        return ManagerReply.newBuilder().setValue(ByteString.copyFrom(codec.encode(value))).build();
    }

    /**
     * A value for {@code holder}: for a remote client, the broker backends in it (a lock inside
     * a map) become proxies it calls the server through, and so do proxies of this tree.
     */
    private ManagerReply value(@Nullable Object value, String holder) {
        if (!RemoteSessions.isRemote(holder)) {
            return value(value);
        }
        byte[] encoded = OnBehalf.exporting(this::export, () -> codec.encode(value));
        return ManagerReply.newBuilder().setValue(ByteString.copyFrom(encoded)).build();
    }

    /** A backend of this process as a remote client gets it: a proxy, the backend pinned here. */
    private Object export(Object backend) {
        Class<?> spi = RemoteBackends.spiOf(backend);
        return RemoteBackends.proxy(RemoteLink.ownLink(), idOf(backend, spi, true), spi, server);
    }

    private static ManagerReply proxy(long id, Class<?> type) {
        return ManagerReply.newBuilder().setProxy(ProxyInfo.newBuilder().setObject(id).setType(type.getName())).build();
    }

    private ManagerReply failure(Throwable t) {
        return ManagerReply.newBuilder().setFailure(ByteString.copyFrom(codec.encode(FailureReport.of(t, codec)))).build();
    }

    private static ManagerReply error(String message) {
        return ManagerReply.newBuilder().setError(message).build();
    }

    /** A call named an object the table does not hold. */
    private static final class NoSuchReferent extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        NoSuchReferent(String message) {
            super(message, null, false, false);
        }
    }
}
