package org.multiprocessing4j;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.manager.AddressForm;
import org.multiprocessing4j.internal.manager.BuiltIns;
import org.multiprocessing4j.internal.manager.ManagerOps;
import org.multiprocessing4j.internal.manager.ProxyCore;
import org.multiprocessing4j.internal.manager.Registrations;
import org.multiprocessing4j.internal.manager.RemoteBackends;
import org.multiprocessing4j.internal.manager.RemoteLink;
import org.multiprocessing4j.internal.manager.Replies;
import org.multiprocessing4j.internal.manager.ServerLink;
import org.multiprocessing4j.internal.manager.ServerReady;
import org.multiprocessing4j.internal.manager.TreeLink;
import org.multiprocessing4j.internal.manager.proto.ManagerCall;
import org.multiprocessing4j.internal.manager.proto.ManagerReply;

/**
 * A server process holding shared objects, and the proxies that reach them: Python's
 * {@code multiprocessing.Manager()} ({@code SyncManager}) and {@code BaseManager}.
 * <pre>{@code
 * try (Manager manager = new Manager()) {
 *     manager.start();                               // a child JVM: Manager-1
 *     DictProxy<String, Integer> counts = manager.dict();
 *     Lock lock = manager.lock();
 *     Process p = new Process(() -> counts.merge("hits", 1, Integer::sum));
 *     p.start();
 *     p.join();
 *     System.out.println(counts);                    // {hits=1}
 * }                                                  // shutdown()
 * }</pre>
 *
 * <p><b>What it makes.</b> {@link #dict()}, {@link #list()}, {@link #namespace()},
 * {@link #value}, {@link #array} are proxies ({@link DictProxy}, {@link ListProxy},
 * {@link NamespaceProxy}, {@link ValueProxy}) whose every call runs in the server. The
 * primitives ({@link #queue()}, {@link #lock()}, {@link #event()}, ...) are the ordinary classes,
 * made in the server process, which owns them: they work in every process of the tree as any
 * primitive does, fail with {@link ProcessGoneException} once the server is gone, and live until
 * the manager shuts down. Types registered with {@link Builder#register} are made with
 * {@link #create}: a {@link java.lang.reflect.Proxy} of the registered interface whose calls run
 * in the server; an exception thrown there is thrown again here, with the server's stack trace
 * followed by the caller's. A method declared to return a registered type returns a proxy.
 * Every proxy is a {@link ManagedProxy}: its object lives while some process holds a proxy of
 * it; {@link ManagedProxy#close()}, garbage collection, and the end of a process give references
 * back.
 *
 * <p><b>Values</b> (arguments, results, content) travel with the context's {@link Codec}; one
 * that cannot be encoded fails in the caller, naming its class. Proxies are serializable: passed
 * to another process of the tree (captured by a target, inside a queue's item, stored in a
 * managed map) they work there.
 *
 * <p><b>Life.</b> {@link #start()} starts the server process, named {@code Manager-N} after its
 * identity (Python's {@code SyncManager-N}); it is a daemon, so a program that forgets
 * {@link #shutdown()} still exits. {@link #shutdown()} (and {@link #close()}, so
 * try-with-resources) stops it: every proxy and primitive of it fails afterwards with
 * {@link ProcessGoneException}, as in Python. A server that dies any other way does the same:
 * calls fail at once, calls waiting in it too; nothing hangs.
 *
 * <p><b>Remote managers.</b> A manager built with {@link Builder#address} also serves at that
 * address (authenticated with {@link Builder#authkey}, loopback unless
 * {@link Builder#allowRemote}); a JVM that did not start it uses the same objects with
 * {@link #connect(SocketAddress, byte[])}, primitives included: they are the same classes,
 * whose calls go to the server over the connected JVM's connections (a waiting call blocks only
 * its caller). A connected JVM that disconnects or dies is like a process that dies: what it
 * held (a lock, permits) passes on, and the next acquirer is told. Proxies of a connected
 * manager passed to a child work there: the child connects with the key, which travels only
 * in a child's target; elsewhere the receiving process needs to know the key.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class Manager implements AutoCloseable {
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(1);
    private static final Class<?>[] NONE = {};

    private final Context context;
    private final Registrations registrations;
    private final @Nullable SocketAddress serveAt;
    private final byte @Nullable [] authkey;
    private final boolean allowRemote;
    private final @Nullable RemoteLink remote;
    private volatile @Nullable ServerLink link;
    private volatile @Nullable SocketAddress address;
    private @Nullable Process process;
    private @Nullable String name;
    private boolean started;
    private boolean shutDown;

    /** A manager of the default context, serving only its process tree; not started yet. */
    public Manager() {
        this(builder());
    }

    /**
     * A manager whose server process is started with {@code context} (its transport, codec, JVM
     * options); not started yet. A codec of its own works only when the calling process was
     * started with the same one: the root runs with the default codec, which the server would
     * not read (troubleshooting.md, "A custom codec").
     *
     * @param context how to start the server
     */
    public Manager(Context context) {
        this(builder().context(context));
    }

    private Manager(Builder b) {
        this.context = b.context != null ? b.context : ProcessRuntime.current().context();
        this.registrations = b.registrations;
        this.serveAt = b.address;
        this.authkey = b.authkey;
        this.allowRemote = b.allowRemote;
        this.remote = null;
    }

    private Manager(RemoteLink remote) {
        this.context = ProcessRuntime.current().context();
        this.registrations = new Registrations();
        this.serveAt = null;
        this.authkey = null;
        this.allowRemote = false;
        this.remote = remote;
        this.link = remote;
        this.started = true;
        this.name = "the manager " + remote.describe();
    }

    /** {@return a builder, for registered types and remote access} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to a manager that another JVM started with {@link Builder#address}: Python's
     * {@code BaseManager(address, authkey).connect()}. The result is already started;
     * {@link #close()} disconnects (it does not stop the server).
     *
     * @param address the address it serves at ({@link #address()} in the JVM that started it)
     * @param authkey its key
     * @return the connected manager
     * @throws IOException             if nothing serves there
     * @throws AuthenticationException if the keys differ
     */
    public static Manager connect(SocketAddress address, byte[] authkey) throws IOException {
        Objects.requireNonNull(address, "address");
        return new Manager(RemoteLink.connect(address, authkey));
    }

    /**
     * Starts the server process and returns once it serves.
     *
     * @throws IllegalStateException if started already, or connected
     * @throws ProcessStartException if the server cannot start, or cannot listen at its address
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("a manager starts once; this one " + (remote != null ? "is connected"
                    : shutDown ? "was shut down" : "runs already"));
        }
        Pipe.Ends pipe = Pipe.open(false);
        Process p = context.process(new ManagerProcess(registrations, pipe.second(),
                serveAt == null ? null : AddressForm.of(serveAt), authkey, allowRemote));
        p.setName("Manager-" + p.identity());
        p.setDaemon(true);
        p.start();
        pipe.second().close();
        ServerReady ready;
        try {
            ready = (ServerReady) pipe.first().recv();
        } catch (EOFException e) {
            throw new ProcessStartException(p.name() + " ended before it served" + exitOf(p));
        } catch (InterruptedException e) {
            p.kill();
            Thread.currentThread().interrupt();
            throw new ProcessStartException("interrupted while " + p.name() + " started; it was killed");
        } finally {
            pipe.first().close();
        }
        if (ready == null || ready.server() == null) {
            stop(p);
            throw new ProcessStartException(p.name() + " cannot serve: " + (ready == null ? "no answer" : ready.error()));
        }
        process = p;
        name = p.name();
        address = ready.address() == null ? null : ready.address().address();
        link = new TreeLink(ready.server(), p.name());
        started = true;
    }

    /**
     * Stops the server process (Python's {@code shutdown()}): asks it to end, and terminates,
     * then kills it if it does not within a second. Proxies and primitives of it fail with
     * {@link ProcessGoneException} afterwards. Does nothing if the manager was not started or
     * is shut down already.
     *
     * @throws IllegalStateException if the manager is connected (the JVM that started it stops it)
     */
    public void shutdown() {
        Process p;
        ServerLink l;
        synchronized (this) {
            if (remote != null) {
                throw new IllegalStateException("a connected manager cannot stop " + name
                        + ": the JVM that started it does; close() disconnects");
            }
            if (!started || shutDown) {
                return;
            }
            shutDown = true;
            p = process;
            l = link;
        }
        try {
            Replies.callUninterruptibly(l, ManagerCall.newBuilder().setOp(ManagerOps.SHUTDOWN).build());
        } catch (ProcessGoneException | IllegalStateException gone) {
            // stopped already
        }
        stop(p);
    }

    /**
     * Try-with-resources: {@link #shutdown()} for a manager this JVM started; for a connected
     * one, disconnects (the server gives back this JVM's references).
     */
    @Override
    public void close() {
        if (remote != null) {
            synchronized (this) {
                shutDown = true;
            }
            remote.close();
        } else {
            shutdown();
        }
    }

    /** {@return the server process's name, {@code Manager-N}; for a connected manager its address} */
    public synchronized String name() {
        return name != null ? name : "Manager (not started)";
    }

    /**
     * {@return the server process (for its pid, or to kill it in a test); null for a connected
     * manager or before {@link #start()}}
     */
    public synchronized @Nullable Process process() {
        return process;
    }

    /**
     * {@return where remote clients connect: the address of {@link Builder#address} with the port
     * picked when it was 0; null if the manager serves only its tree}
     *
     * @throws IllegalStateException if not started
     */
    public @Nullable SocketAddress address() {
        serverLink();
        return remote != null ? null : address;
    }

    /**
     * A diagnostic: how many objects the server holds for proxies now (maps, lists, namespaces,
     * values, arrays and objects of registered types; not the primitives).
     *
     * @return the number of objects referenced by some proxy
     */
    public int objectCount() {
        return (Integer) request(ManagerCall.newBuilder().setOp(ManagerOps.COUNT).build(), "objectCount()");
    }

    /**
     * Python's {@code manager.dict()}.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @return a proxy of a new, empty map
     */
    public <K, V> DictProxy<K, V> dict() {
        return new DictProxy<>(builtIn(BuiltIns.DICT));
    }

    /**
     * Python's {@code manager.dict(mapping)}.
     *
     * @param content the initial entries, encoded with the codec
     * @param <K>     the key type
     * @param <V>     the value type
     * @return a proxy of a new map with them
     */
    public <K, V> DictProxy<K, V> dict(Map<? extends K, ? extends V> content) {
        return new DictProxy<>(builtIn(BuiltIns.DICT, new LinkedHashMap<>(content)));
    }

    /**
     * Python's {@code manager.list()}.
     *
     * @param <E> the element type
     * @return a proxy of a new, empty list
     */
    public <E> ListProxy<E> list() {
        return new ListProxy<>(builtIn(BuiltIns.LIST));
    }

    /**
     * Python's {@code manager.list(sequence)}.
     *
     * @param content the initial elements
     * @param <E>     the element type
     * @return a proxy of a new list with them
     */
    public <E> ListProxy<E> list(Collection<? extends E> content) {
        return new ListProxy<>(builtIn(BuiltIns.LIST, new ArrayList<>(content)));
    }

    /** {@return Python's {@code manager.Namespace()}: a proxy of a new namespace with no attributes} */
    public NamespaceProxy namespace() {
        return new NamespaceProxy(builtIn(BuiltIns.NAMESPACE));
    }

    /**
     * Python's {@code manager.Value(typecode, value)}.
     *
     * @param initial the first value, may be null
     * @param <T>     its type
     * @return a proxy of a new value
     */
    public <T> ValueProxy<T> value(@Nullable T initial) {
        return new ValueProxy<>(builtIn(BuiltIns.VALUE, initial));
    }

    /**
     * Python's {@code manager.Array(typecode, sequence)}: a list of fixed size whose elements
     * are all of {@code type} and never null; adding or removing elements throws
     * {@link UnsupportedOperationException}, a wrong element {@link IllegalArgumentException}.
     *
     * @param type    the element type ({@code int.class} and {@code Integer.class} alike)
     * @param content the elements
     * @param <E>     the element type
     * @return a proxy of a new array
     * @throws IllegalArgumentException if an element is null or not of {@code type}
     */
    public <E> ListProxy<E> array(Class<E> type, Collection<? extends E> content) {
        return new ListProxy<>(builtIn(BuiltIns.ARRAY, type, new ArrayList<>(content)));
    }

    /**
     * Python's {@code manager.Queue()}.
     *
     * @param <E> the item type
     * @return a new unbounded queue owned by the server process
     */
    public <E> Queue<E> queue() {
        return queue(0);
    }

    /**
     * Python's {@code manager.Queue(maxsize)}.
     *
     * @param maxsize the most items it holds; zero or less for no limit
     * @param <E>     the item type
     * @return a new queue owned by the server process
     */
    @SuppressWarnings("unchecked") // a new queue holds anything
    public <E> Queue<E> queue(int maxsize) {
        return (Queue<E>) primitive(ManagedPrimitives.QUEUE, maxsize);
    }

    /**
     * Python's {@code manager.JoinableQueue()}.
     *
     * @param <E> the item type
     * @return a new unbounded joinable queue owned by the server process
     */
    public <E> JoinableQueue<E> joinableQueue() {
        return joinableQueue(0);
    }

    /**
     * Python's {@code manager.JoinableQueue(maxsize)}.
     *
     * @param maxsize the most items it holds; zero or less for no limit
     * @param <E>     the item type
     * @return a new joinable queue owned by the server process
     */
    @SuppressWarnings("unchecked") // a new queue holds anything
    public <E> JoinableQueue<E> joinableQueue(int maxsize) {
        return (JoinableQueue<E>) primitive(ManagedPrimitives.JOINABLE_QUEUE, maxsize);
    }

    /** {@return Python's {@code manager.Lock()}: a new lock owned by the server process} */
    public Lock lock() {
        return (Lock) primitive(ManagedPrimitives.LOCK);
    }

    /** {@return Python's {@code manager.RLock()}: a new reentrant lock owned by the server process} */
    public RLock rlock() {
        return (RLock) primitive(ManagedPrimitives.RLOCK);
    }

    /**
     * Python's {@code manager.Semaphore(value)}.
     *
     * @param value the initial number of permits, at least 0
     * @return a new semaphore owned by the server process
     */
    public Semaphore semaphore(int value) {
        return (Semaphore) primitive(ManagedPrimitives.SEMAPHORE, value);
    }

    /**
     * Python's {@code manager.BoundedSemaphore(value)}.
     *
     * @param value the initial and largest number of permits, at least 0
     * @return a new bounded semaphore owned by the server process
     */
    public BoundedSemaphore boundedSemaphore(int value) {
        return (BoundedSemaphore) primitive(ManagedPrimitives.BOUNDED_SEMAPHORE, value);
    }

    /** {@return Python's {@code manager.Condition()}: a new condition over a new RLock, both owned by the server} */
    public Condition condition() {
        return (Condition) primitive(ManagedPrimitives.CONDITION, (Object) null);
    }

    /**
     * Python's {@code manager.Condition(lock)}.
     *
     * @param lock the lock it is about (any process's; usually this manager's {@link #lock()})
     * @return a new condition owned by the server process
     */
    public Condition condition(Lock lock) {
        return (Condition) primitive(ManagedPrimitives.CONDITION, Objects.requireNonNull(lock, "lock"));
    }

    /**
     * Python's {@code manager.Condition(rlock)}.
     *
     * @param lock the reentrant lock it is about
     * @return a new condition owned by the server process
     */
    public Condition condition(RLock lock) {
        return (Condition) primitive(ManagedPrimitives.CONDITION, Objects.requireNonNull(lock, "lock"));
    }

    /** {@return Python's {@code manager.Event()}: a new event, not set, owned by the server process} */
    public Event event() {
        return (Event) primitive(ManagedPrimitives.EVENT);
    }

    /**
     * Python's {@code manager.Barrier(parties)}.
     *
     * @param parties how many parties each round waits for, at least 1
     * @return a new barrier owned by the server process
     */
    public Barrier barrier(int parties) {
        return barrier(parties, null, null);
    }

    /**
     * Python's {@code manager.Barrier(parties, action, timeout)}.
     *
     * @param parties how many parties each round waits for, at least 1
     * @param action  runs in the last party's process before the others are released; or null
     * @param timeout the default longest wait; or null
     * @return a new barrier owned by the server process
     */
    public Barrier barrier(int parties, @Nullable ProcessTarget action, @Nullable Duration timeout) {
        return (Barrier) primitive(ManagedPrimitives.BARRIER, parties, action, timeout);
    }

    /**
     * Makes an object of a registered type in the server with its factory: Python's
     * {@code manager.TypeId(*args)}.
     *
     * @param type the registered interface
     * @param args the factory's arguments, encoded with the codec
     * @param <T>  the type
     * @return a proxy: an instance of {@code type} and {@link ManagedProxy}
     * @throws IllegalStateException     if {@code type} is not registered with a factory
     * @throws RuntimeException          what the factory threw, with the server's stack trace
     * @throws MultiprocessingException  wrapping a checked exception the factory threw
     */
    public <T> T create(Class<T> type, @Nullable Object... args) {
        ManagerCall.Builder call = ManagerCall.newBuilder().setOp(ManagerOps.CREATE).setType(type.getName());
        addArgs(call, args);
        return type.cast(request(call.build(), "creating a " + type.getName()));
    }

    private ProxyCore builtIn(String kind, @Nullable Object... args) {
        ManagerCall.Builder call = ManagerCall.newBuilder().setOp(ManagerOps.BUILTIN).setType(kind);
        addArgs(call, args);
        ServerLink l = serverLink();
        ManagerReply reply = Replies.callUninterruptibly(l, call.build());
        if (!reply.hasProxy()) {
            Replies.uncheckedResult(l, reply, "making a " + kind); // throws what the server said
            throw new IllegalStateException("the manager " + l.describe() + " made no " + kind);
        }
        return ProxyCore.adopt(l, reply.getProxy());
    }

    private Object primitive(String kind, @Nullable Object... args) {
        ManagerCall.Builder call = ManagerCall.newBuilder().setOp(ManagerOps.PRIMITIVE).setType(kind);
        addArgs(call, args);
        if (remote == null) {
            return Objects.requireNonNull(request(call.build(), "making a " + kind));
        }
        ManagerReply reply = Replies.callUninterruptibly(remote, call.build());
        if (!reply.hasBackends()) {
            Replies.uncheckedResult(remote, reply, "making a " + kind); // throws what the server said
            throw new IllegalStateException("the manager " + remote.describe() + " made no " + kind);
        }
        return ManagedPrimitives.assemble(kind, RemoteBackends.proxies(remote, reply.getBackends()), args);
    }

    private @Nullable Object request(ManagerCall call, String what) {
        ServerLink l = serverLink();
        return Replies.uncheckedResult(l, Replies.callUninterruptibly(l, call), what);
    }

    private void addArgs(ManagerCall.Builder call, @Nullable Object @Nullable [] args) {
        if (args == null) {
            args = new Object[] {null};
        }
        Codec codec = ProcessRuntime.current().context().codec();
        for (Object a : args) {
            call.addArgs(com.google.protobuf.ByteString.copyFrom(codec.encode(a)));
        }
    }

    private ServerLink serverLink() {
        ServerLink l = link;
        if (l == null) {
            throw new IllegalStateException("the manager is not started: call start() first");
        }
        return l;
    }

    private static void stop(Process p) {
        boolean interrupted = false;
        try {
            for (int step = 0; step < 3; step++) {
                try {
                    if (p.join(SHUTDOWN_GRACE)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (step == 0) {
                    p.terminate();
                } else {
                    p.kill();
                }
            }
            try {
                p.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String exitOf(Process p) {
        try {
            p.join(SHUTDOWN_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Integer code = p.exitCode();
        return code == null ? "" : " (exit code " + code + ")";
    }

    @Override
    public String toString() {
        String n = name();
        return n.startsWith("the manager ") ? "<Manager " + n.substring("the manager ".length()) + ">" : "<Manager " + n + ">";
    }

    /**
     * Settings of a manager: its context, its registered types, and where it serves remote
     * clients.
     *
     * @since 0.1
     */
    public static final class Builder {
        private @Nullable Context context;
        private final Registrations registrations = new Registrations();
        private @Nullable SocketAddress address;
        private byte @Nullable [] authkey;
        private boolean allowRemote;

        private Builder() {
        }

        /**
         * {@return this builder}
         *
         * @param context how to start the server process (its transport, codec, JVM options);
         *                by default the current process's
         */
        public Builder context(Context context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Registers a type: Python's {@code BaseManager.register(typeid, callable)}.
         * {@link Manager#create(Class, Object...)} makes its objects with {@code factory} in the
         * server; methods declared to return it return proxies.
         *
         * @param type    the interface proxies implement; its methods run in the server
         * @param factory makes an object in the server from {@code create}'s arguments
         * @param <T>     the type
         * @return this builder
         * @throws IllegalArgumentException if {@code type} is not an interface, or registered already
         */
        public <T> Builder register(Class<T> type, ManagerFactory<? extends T> factory) {
            registrations.add(type, Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /**
         * Registers a type without a factory (Python's {@code create_method=False}): only
         * methods declared to return it make its objects, and they return proxies of it.
         *
         * @param type the interface proxies implement
         * @return this builder
         * @throws IllegalArgumentException if {@code type} is not an interface, or registered already
         */
        public Builder register(Class<?> type) {
            registrations.add(type, null);
            return this;
        }

        /**
         * Serves remote clients at {@code address} too (Python's {@code BaseManager(address)}):
         * a TCP address (port 0 picks a free one; {@link Manager#address()} tells which) or a
         * Unix domain socket.
         *
         * @param address where to listen; loopback unless {@link #allowRemote}
         * @return this builder
         */
        public Builder address(SocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param authkey the key remote clients must prove; by default the tree's (which only
         *                this tree's processes know)
         * @throws IllegalArgumentException if it is empty
         */
        public Builder authkey(byte[] authkey) {
            if (authkey.length == 0) {
                throw new IllegalArgumentException("an authkey must not be empty");
            }
            this.authkey = authkey.clone();
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param allow true to let the server listen on an address other machines reach
         */
        public Builder allowRemote(boolean allow) {
            this.allowRemote = allow;
            return this;
        }

        /** {@return a manager with these settings, not started} */
        public Manager build() {
            return new Manager(this);
        }
    }
}
