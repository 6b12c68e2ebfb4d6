package org.multiprocessing4j.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.internal.aot.AotCache;
import org.multiprocessing4j.internal.broker.Router;
import org.multiprocessing4j.internal.shm.SharedMemoryRuntime;
import org.multiprocessing4j.spi.Transport;
import org.multiprocessing4j.spi.TransportProvider;

/**
 * What this JVM is in the process tree: its name, identity, authkey, default context, and the
 * children it started. One per JVM: the root's is made on first use, a child's by
 * {@link ChildMain} before any user code runs.
 *
 * <p>Identity follows Python: the root has the empty identity and is called
 * {@code MainProcess}; its first child is {@code 1} ({@code Process-1}); that child's first
 * child is {@code 1:1} ({@code Process-1:1}).
 */
public final class ProcessRuntime {
    private static final int AUTHKEY_BYTES = 32;
    private static final Duration DAEMON_TERMINATE_GRACE = Duration.ofSeconds(2);
    /** How often the exit's wait for a non-daemon child looks for a SIGTERM or the parent's end. */
    private static final Duration EXIT_WAIT_SLICE = Duration.ofMillis(100);

    private static final Object INSTALL_LOCK = new Object();
    private static volatile @Nullable ProcessRuntime current;

    private final String name;
    private final String identity;
    private final boolean daemon;
    private final byte[] authkey;
    private volatile byte[] processAuthkey;
    private final Context context;
    private final @Nullable ParentInfo parent;
    private final RootInfo root;
    private final @Nullable ControlLink parentLink;
    private final AtomicInteger childCounter = new AtomicInteger();
    private final Set<Process> children = ConcurrentHashMap.newKeySet();
    private final Router router;
    private final List<Runnable> finalActions = new CopyOnWriteArrayList<>();
    private final StandbyPool standbys = new StandbyPool();
    private final AotCache aotCache = new AotCache();
    private volatile boolean parentGone;
    private volatile boolean exiting;
    private volatile boolean terminated;
    private volatile @Nullable Process self;
    private volatile @Nullable Transport transport;
    private volatile @Nullable String transportName;
    /** The transport providers on the class path, found on first need. */
    private volatile @Nullable TransportSelection selection;
    private volatile @Nullable SharedMemoryRuntime sharedMemory;

    /**
     * The parent of a child process, as its bootstrap frame described it.
     *
     * @param name     the parent's name
     * @param identity the parent's identity
     * @param pid       the parent's process id, on its host
     * @param elsewhere whether the parent runs on another host (the child was placed by its
     *                  transport): its pid means nothing here
     */
    public record ParentInfo(String name, String identity, long pid, boolean elsewhere) {
    }

    /**
     * The root of the process tree: the JVM whose runtime has no parent. Shared memory names
     * its tracking file after it (see {@code internal.shm}).
     *
     * @param pid       the root's process id
     * @param startTime when the root started, as {@link ProcessStartTime} reads it: an opaque
     *                  number, 0 when the OS does not say. With the pid it tells the root from
     *                  a later process that reuses its pid.
     */
    public record RootInfo(long pid, long startTime) {
        /** {@return the root info of the calling JVM, taken as a root} */
        public static RootInfo ofCurrentProcess() {
            long pid = ProcessHandle.current().pid();
            return new RootInfo(pid, ProcessStartTime.of(pid));
        }
    }

    private ProcessRuntime(String name, String identity, boolean daemon, byte[] authkey, Context context,
                           @Nullable ParentInfo parent, RootInfo root, @Nullable ControlLink parentLink) {
        this.name = name;
        this.identity = identity;
        this.daemon = daemon;
        this.authkey = authkey.clone();
        this.processAuthkey = this.authkey;
        this.context = context;
        this.parent = parent;
        this.root = root;
        this.parentLink = parentLink;
        this.router = new Router(identity);
        router.enableDirectLinks(() -> transport().links(this.authkey.clone(), context.maxFrameSize()),
                context.maxFrameSize());
        if (parentLink != null) {
            router.setParent(parentLink);
        }
        Runtime.getRuntime().addShutdownHook(exitHook(this));
    }

    /** The shutdown hook; a method of its own so that a standby's warm-up links it early. */
    static Thread exitHook(ProcessRuntime rt) {
        return new Thread(() -> rt.atExit(), "multiprocessing4j-exit");
    }

    /** {@return this JVM's runtime; in a root JVM it is created on first use} */
    public static ProcessRuntime current() {
        ProcessRuntime rt = current;
        if (rt != null) {
            return rt;
        }
        synchronized (INSTALL_LOCK) {
            if (current == null) {
                byte[] key = SecureBytes.of(AUTHKEY_BYTES);
                current = new ProcessRuntime("MainProcess", "", false, key, Context.builder().build(), null,
                        RootInfo.ofCurrentProcess(), null);
            }
            return current;
        }
    }

    /**
     * Installs the runtime of a child JVM; called once by {@link ChildMain}.
     *
     * @throws IllegalStateException if a runtime exists already
     */
    static ProcessRuntime installChild(String name, String identity, boolean daemon, byte[] authkey,
                                       Context context, ParentInfo parent, RootInfo root,
                                       ControlLink parentLink) {
        synchronized (INSTALL_LOCK) {
            if (current != null) {
                throw new IllegalStateException("the process runtime is installed already");
            }
            RootInfo treeRoot = parent.elsewhere() ? RootInfo.ofCurrentProcess()
                    : root.pid() > 0 ? root : new RootInfo(parent.pid(), 0);
            ProcessRuntime rt = new ProcessRuntime(name, identity, daemon, authkey, context, parent, treeRoot,
                    parentLink);
            current = rt;
            return rt;
        }
    }

    /** {@return the name this process was started with ({@code MainProcess} for the root)} */
    public String name() {
        return name;
    }

    /** {@return this process's identity, the empty string for the root} */
    public String identity() {
        return identity;
    }

    /** {@return whether this process was started as a daemon} */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * {@return a copy of the tree's authkey: the root's random key, which every link between the
     * processes of the tree proves; never changes}
     */
    public byte[] authkey() {
        return authkey.clone();
    }

    /**
     * {@return a copy of this process's {@code authkey} (Python's {@code
     * current_process().authkey}): the tree's unless it was set, for this process or before its
     * start by its parent; the default key of {@code Listener} and {@code Client}}
     */
    public byte[] processAuthkey() {
        return processAuthkey.clone();
    }

    /**
     * Sets this process's {@code authkey} ({@code Process.setAuthkey}).
     *
     * @param key this process's new {@code authkey}, not empty
     */
    public void setProcessAuthkey(byte[] key) {
        this.processAuthkey = key.clone();
    }

    /** {@return the context this process's children start with by default} */
    public Context context() {
        return context;
    }

    /** {@return the parent, or null in the root process} */
    public @Nullable ParentInfo parent() {
        return parent;
    }

    /** {@return the root of this process tree (this process, in the root)} */
    public RootInfo root() {
        return root;
    }

    /** {@return this process's shared-memory state, made on first use} */
    public SharedMemoryRuntime sharedMemory() {
        SharedMemoryRuntime s = sharedMemory;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (sharedMemory == null) {
                sharedMemory = SharedMemoryRuntime.start(root, rootsTreeHere());
            }
            return sharedMemory;
        }
    }

    /** {@return the control link to the parent, or null in the root process} */
    public @Nullable ControlLink parentLink() {
        return parentLink;
    }

    /**
     * The transport of this process, made on first use: the one the default context names, else
     * the one the selection rules pick (the system property, then priority).
     *
     * @return the transport
     * @throws org.multiprocessing4j.MultiprocessingException if none is available; the message
     *                                                         says which artifact to add
     */
    public Transport transport() {
        Transport t = transport;
        if (t != null) {
            return t;
        }
        synchronized (this) {
            if (transport == null) {
                TransportProvider provider = provider(context.transport());
                try {
                    transport = provider.create();
                } catch (RuntimeException e) {
                    // not kept: a failure may pass (an interrupt, a cluster slow to answer)
                    throw new org.multiprocessing4j.MultiprocessingException("the " + provider.name()
                            + " transport could not start in this process: " + e, e);
                }
                transportName = provider.name();
            }
            return transport;
        }
    }

    /** {@return the name of the transport this process made, or null before it made one} */
    public @Nullable String transportName() {
        return transportName;
    }

    /**
     * {@return the JVM options the transport of a child of that context needs
     * ({@link TransportProvider#childJvmOptions()}); none when no transport can be selected (the
     * child's start then says why)}
     *
     * @param childContext the child's context
     */
    public List<String> transportJvmOptions(Context childContext) {
        try {
            return provider(childContext.transport() != null ? childContext.transport() : context.transport())
                    .childJvmOptions();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** {@return the provider the selection rules pick, given a name asked for (or null)} */
    private TransportProvider provider(@Nullable String requested) {
        TransportSelection s = selection;
        if (s == null) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            s = TransportSelection.load(loader != null ? loader : getClass().getClassLoader());
            selection = s;
        }
        return s.select(requested, System.getProperty(TransportSelection.PROPERTY));
    }

    /** {@return the standby JVMs of this process's contexts} */
    public StandbyPool standbys() {
        return standbys;
    }

    /** {@return the AOT cache of this process's child JVMs} */
    public AotCache aotCache() {
        return aotCache;
    }

    /** {@return this process's node of the broker} */
    public Router router() {
        return router;
    }

    /** {@return the {@link Process} object that stands for this process, once known} */
    public @Nullable Process self() {
        return self;
    }

    /**
     * Sets the object that stands for this process.
     *
     * @param process the object {@code Multiprocessing.currentProcess()} returns from now on
     */
    public void setSelf(Process process) {
        this.self = process;
    }

    /**
     * Reserves the identity of a new child, in creation order: {@code "3"} or {@code "1:3"}.
     *
     * @return the new child's identity
     */
    public String nextChildIdentity() {
        int n = childCounter.incrementAndGet();
        return identity.isEmpty() ? Integer.toString(n) : identity + ":" + n;
    }

    /**
     * Records a started child.
     *
     * @param child a child that was just started; ended children nobody joined are forgotten
     */
    public void addChild(Process child) {
        children.removeIf(p -> !p.isAlive());
        children.add(child);
        TerminationSignal.installOnce(this);
    }

    /**
     * Forgets an ended child.
     *
     * @param child a child that has ended and was joined or closed
     */
    public void removeChild(Process child) {
        children.remove(child);
    }

    /**
     * {@return the started children that are still running (ended ones are forgotten, as Python's
     * {@code active_children()} does)}
     */
    public List<Process> activeChildren() {
        List<Process> alive = new ArrayList<>();
        for (Process p : children) {
            if (p.isAlive()) {
                alive.add(p);
            } else {
                children.remove(p);
            }
        }
        return alive;
    }

    /**
     * @param action run last at exit, after children were joined or terminated: closing the
     *               link to the parent, so that no thread is left blocked reading it (the JVM
     *               would wait 300 ms for such a thread before exiting)
     */
    void addFinalAction(Runnable action) {
        finalActions.add(action);
    }

    /** {@return true once this JVM is shutting down} */
    boolean isExiting() {
        return exiting;
    }

    /**
     * {@return whether this process roots its tree on this host: the root process, or a child
     * placed on another host than its parent's}; it sweeps what dead trees left in shared memory
     * when it first uses it, and unlinks its tree's segments at exit
     */
    private boolean rootsTreeHere() {
        return parent == null || parent.elsewhere();
    }

    /** {@return true once the control link from the parent reached end of file: the parent is gone} */
    public boolean isParentGone() {
        return parentGone;
    }

    /** Called when the control link from the parent reaches end of file. */
    void markParentGone() {
        parentGone = true;
    }

    /**
     * Python's exit handler: daemon children are terminated, the others joined. When the parent
     * is gone, or this process was sent SIGTERM, every child is terminated instead: nobody
     * waits for this process any more. On SIGTERM, children whose context says
     * {@code exitWithParent(false)} are left running, neither terminated nor joined: they were
     * made to outlive this process, as Python's children outlive a parent SIGTERM kills.
     */
    private void atExit() {
        exiting = true;
        standbys.close();
        System.out.flush();
        System.err.flush();
        try {
            stopChildren();
            if (rootsTreeHere()) {
                SharedMemoryRuntime s = sharedMemory;
                if (s != null) {
                    s.awaitSweep();
                }
                // After the children: they may use the segments until they end.
                SharedMemoryRuntime.atRootExit(root);
            }
        } finally {
            // Direct links first, while the control link still stands: what this process sent
            // on them must reach its peers before they hear that it is gone.
            router.closeDirectLinks();
            Transport t = transport;
            if (t != null) {
                try {
                    t.close();
                } catch (RuntimeException ignored) {
                    // a transport that fails to close must not stop the exit
                }
            }
            finalActions.forEach(Runnable::run);
        }
    }

    /**
     * Called on SIGTERM: children are terminated at exit, not joined. One that comes while the
     * exit already waits for non-daemon children (after {@code main} returned, or Ctrl-C)
     * terminates them too ({@link #stopChildren} looks for it), and the exit under way goes on
     * with its own status: the handler's {@code System.exit} waits behind it.
     */
    void markTerminated() {
        terminated = true;
    }

    /** Terminates every running child now (the parent went away during exit). */
    void terminateChildren() {
        for (Process p : activeChildren()) {
            p.terminate();
        }
    }

    private void stopChildren() {
        List<Process> running = new java.util.ArrayList<>(activeChildren());
        if (terminated && !parentGone) {
            running.removeIf(p -> !p.context().exitWithParent());
        }
        boolean stopAll = parentGone || terminated;
        for (Process p : running) {
            if (p.isDaemon() || stopAll) {
                p.terminate();
            }
        }
        for (Process p : running) {
            try {
                if (p.isDaemon() || stopAll) {
                    if (!p.join(DAEMON_TERMINATE_GRACE)) {
                        p.kill();
                        p.join(DAEMON_TERMINATE_GRACE);
                    }
                } else {
                    while (!p.join(EXIT_WAIT_SLICE)) {
                        if ((terminated || parentGone) && !stopAll) {
                            stopChildren(); // SIGTERM, or the parent's end, during the wait
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
