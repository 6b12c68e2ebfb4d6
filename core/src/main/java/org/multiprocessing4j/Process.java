package org.multiprocessing4j;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ChildEncoding;
import org.multiprocessing4j.internal.ChildProcessHandle;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.TargetOnly;

/**
 * A child process: Python's {@code multiprocessing.Process}, run in a child JVM.
 *
 * <p>Give it a target, {@code new Process(() -> worker(num))}, or subclass it and override
 * {@link #run()}. {@link #start()} launches a JVM with this JVM's java binary and class path
 * (and what the {@link Context} adds), sends it this object encoded by the context's codec,
 * and returns once the child runs it, so targets begin in the order of their {@code start()}
 * calls and every failure to start is an exception from {@code start()}. Names follow Python: {@code Process-1}, {@code Process-2},
 * ... in creation order, and {@code Process-1:1} for the first child of {@code Process-1}.
 *
 * <p>The child's {@code System.out} and {@code System.err} appear on the parent's. When the
 * parent ends normally it joins its non-daemon children and terminates its daemon children;
 * when it dies in any other way (even by SIGKILL) its children exit within a second, unless the
 * context says {@link Context.Builder#exitWithParent(boolean) otherwise}.
 *
 * <p>Methods may be called from any thread. A process object is not itself passed to other
 * processes: only its target travels, once, to the child it describes.
 *
 * @since 0.1
 */
public class Process implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;


    /** What the child runs, or null when {@link #run()} is overridden. @serial */

    private final @Nullable ProcessTarget target;
    /** The position in the tree, such as {@code 1:2}. @serial */
    private final String identity;
    /**
     * The exit code of a child on another host whose host or agent was lost before its end was
     * known (a transport that places children on other hosts, such as {@code hazelcast} with
     * agents): 256, which no exit status or signal gives. The process counts as ended.
     */
    public static final int EXIT_CODE_LOST = org.multiprocessing4j.spi.PlacedJvm.LOST;

    /** The name, such as {@code Process-1}. @serial */
    private String name;
    private transient byte @Nullable [] authkey;
    /** Whether the process is a daemon. @serial */
    private boolean daemon;

    private transient Role role;
    private transient @Nullable Context context;
    private transient volatile @Nullable ChildProcessHandle handle;
    private transient volatile boolean closed;
    private transient long knownPid;

    static {
        TargetOnly.register(new CurrentMaker());
    }

    /** A class rather than a lambda: a child would spin the lambda's class on its start path. */
    private static final class CurrentMaker implements TargetOnly.Maker {
        @Override
        public Process make(ProcessTarget target, String name, String identity, boolean daemon) {
            return new Process(target, name, identity, daemon);
        }
    }

    /** What a {@link Process} object stands for. */
    private enum Role {
        /** A child this process created: it can be started, joined, terminated. */
        CHILD,
        /** The process this object is in. */
        CURRENT,
        /** This process's parent, as seen from here. */
        PARENT
    }

    /**
     * A process of the default context that runs {@code target}.
     *
     * @param target what the child runs
     */
    public Process(ProcessTarget target) {
        this(ProcessRuntime.current().context(), Objects.requireNonNull(target, "target"));
    }

    /**
     * A named process of the default context that runs {@code target}.
     *
     * @param target what the child runs
     * @param name   the process's name, instead of {@code Process-N}
     */
    public Process(ProcessTarget target, String name) {
        this(target);
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * A process of {@code context} that runs {@code target}.
     *
     * @param context how to start it
     * @param target  what the child runs
     */
    public Process(Context context, ProcessTarget target) {
        this(context, Objects.requireNonNull(target, "target"), null);
    }

    /**
     * For subclasses that override {@link #run()}, as in Python; the subclass's fields travel
     * to the child with it, so they must be encodable.
     */
    protected Process() {
        this(ProcessRuntime.current().context(), null, null);
    }

    /**
     * For subclasses that override {@link #run()} and start with a given context.
     *
     * @param context how to start it
     */
    protected Process(Context context) {
        this(context, null, null);
    }

    /** A new child; the third parameter only tells this constructor from the public ones. */
    private Process(Context context, @Nullable ProcessTarget target, @Nullable Void newChild) {
        ProcessRuntime rt = ProcessRuntime.current();
        this.target = target;
        this.context = Objects.requireNonNull(context, "context");
        this.identity = rt.nextChildIdentity();
        this.name = namePrefix(getClass()) + "-" + identity;
        this.daemon = rt.isDaemon();
        this.role = Role.CHILD;
    }

    /** Transport names a context of this JVM was checked to have, so a start looks each up once. */
    private static final java.util.Set<String> CHECKED_TRANSPORTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Fails the start of a process whose context names a transport this class path lacks, as
     * {@link Multiprocessing#getContext(String)} would have: the child would otherwise start and
     * fail only once it made a primitive ({@code Context.Builder.transport} is unchecked).
     */
    private void checkTransport(Context ctx) {
        String transport = ctx.transport();
        if (transport == null || CHECKED_TRANSPORTS.contains(transport)) {
            return;
        }
        try {
            Multiprocessing.checkTransport(transport);
        } catch (MultiprocessingException e) {
            throw new ProcessStartException("cannot start " + name + ": " + e.getMessage(), e);
        }
        CHECKED_TRANSPORTS.add(transport);
    }

    /**
     * {@return what a new process's default name starts with}: its class's simple name, as
     * Python's {@code type(self).__name__} ({@code Worker-1} for a subclass {@code Worker}), or
     * {@code Process} for this class and for anonymous subclasses, which have no name
     */
    private static String namePrefix(Class<?> type) {
        String simple = type.getSimpleName();
        return simple.isEmpty() ? "Process" : simple;
    }

    /** The object for the current process in a child whose target travelled alone ({@link TargetOnly}). */
    private Process(ProcessTarget target, String name, String identity, boolean daemon) {
        this.target = target;
        this.identity = identity;
        this.name = name;
        this.daemon = daemon;
        this.knownPid = ProcessHandle.current().pid();
        this.role = Role.CURRENT;
    }

    /** The object for a process other than a new child: this one, or the parent. */
    Process(String name, String identity, boolean daemon, long pid, boolean parent) {
        this.target = null;
        this.identity = identity;
        this.name = name;
        this.daemon = daemon;
        this.knownPid = pid;
        this.role = parent ? Role.PARENT : Role.CURRENT;
    }

    /**
     * What the child runs: by default the target given to the constructor. Subclasses may
     * override it, as in Python.
     *
     * @throws Exception anything; it ends the child with exit code 1
     */
    public void run() throws Exception {
        if (target != null) {
            target.run();
        }
    }

    /**
     * Starts the child JVM and returns once it runs this process's {@link #run()}.
     *
     * @throws IllegalStateException if already started, closed, not a child of this process, or
     *                               if this process is a daemon (daemons have no children)
     * @throws CodecException        if the target, or something it captures, cannot be encoded;
     *                               the message names the class
     * @throws ProcessStartException if the child JVM cannot start, or ends before running the
     *                               target (a class missing on its class path, say); the
     *                               message has the child's own words
     */
    public void start() {
        start(null);
    }

    /**
     * {@link #start()}, giving up after {@code deadline}: a child that has not reported that it
     * runs its target by then (a JVM stuck in its start, a class initializer that never returns)
     * is killed, and {@link ProcessStartException} says so. For a pool's workers.
     *
     * @param deadline how long the start may take, or null for no limit
     */
    void start(@Nullable Duration deadline) {
        checkNotClosed();
        if (role != Role.CHILD) {
            throw new IllegalStateException("can only start a process object created by the current process; "
                    + name + " is " + (role == Role.CURRENT ? "the current process" : "the parent process"));
        }
        ProcessRuntime rt = ProcessRuntime.current();
        if (rt.isDaemon()) {
            throw new IllegalStateException("daemonic processes are not allowed to have children ("
                    + rt.name() + " is a daemon)");
        }
        synchronized (this) {
            if (handle != null) {
                throw new IllegalStateException("cannot start a process twice: " + name + " was started already");
            }
            Context ctx = context();
            checkTransport(ctx);
            // A plain Process travels as its target (see TargetOnly); a subclass with its fields.
            boolean targetOnly = TargetOnly.applies(this, target);
            byte[] encoded = ChildEncoding.encode(this, () -> ctx.codec().encode(targetOnly ? target : this));
            handle = ChildProcessHandle.start(name, identity, daemon, encoded, targetOnly, ctx, authkey(), deadline);
        }
        rt.addChild(this);
    }

    /**
     * Waits until the process ends and its output has been printed.
     *
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if not started, closed, or this is the current process
     */
    public void join() throws InterruptedException {
        joinHandle().join(null);
        ProcessRuntime.current().removeChild(this);
    }

    /**
     * Waits at most {@code timeout} for the process to end.
     *
     * @param timeout how long to wait; zero or negative only checks
     * @return true if the process has ended
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if not started, closed, or this is the current process
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        boolean ended = joinHandle().join(timeout);
        if (ended) {
            ProcessRuntime.current().removeChild(this);
        }
        return ended;
    }

    private ChildProcessHandle joinHandle() {
        checkNotClosed();
        if (role == Role.CURRENT) {
            throw new IllegalStateException("a process cannot join itself (" + name + ")");
        }
        if (role == Role.PARENT) {
            throw new IllegalStateException("can only join a child process; " + name + " is the parent");
        }
        ChildProcessHandle h = handle;
        if (h == null) {
            throw new IllegalStateException("can only join a started process; " + name + " was not started");
        }
        return h;
    }

    /**
     * {@return true from a successful {@link #start()} until the process ends; true for the
     * current process; for the parent, whether it still runs (for a child on another host than
     * its parent's, whether its link to the parent stands: a pid there means nothing here)}
     */
    public boolean isAlive() {
        checkNotClosed();
        return switch (role) {
            case CURRENT -> true;
            case PARENT -> parentIsAlive();
            case CHILD -> {
                ChildProcessHandle h = handle;
                yield h != null && h.isAlive();
            }
        };
    }

    private boolean parentIsAlive() {
        ProcessRuntime rt = ProcessRuntime.current();
        ProcessRuntime.ParentInfo parent = rt.parent();
        if (parent != null && parent.elsewhere()) {
            return !rt.isParentGone();
        }
        return ProcessHandle.of(knownPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** {@return the process id, or null before {@link #start()}} */
    public @Nullable Long pid() {
        checkNotClosed();
        if (role != Role.CHILD) {
            return knownPid;
        }
        ChildProcessHandle h = handle;
        return h == null ? null : h.pid();
    }

    /**
     * {@return the host the transport started the child on, or null when it runs on this
     * machine (always, but on a transport that places children on other hosts) or has not
     * started}
     */
    public @Nullable String host() {
        checkNotClosed();
        ChildProcessHandle h = handle;
        return role != Role.CHILD || h == null ? null : h.host();
    }

    /** {@return why a child on another host counts as lost ({@link #EXIT_CODE_LOST}), or null} */
    @Nullable String lostReason() {
        ChildProcessHandle h = handle;
        return h == null ? null : h.lostReason();
    }

    /**
     * {@return null before start and while running; then 0, 1 after an uncaught exception, the
     * argument of {@code System.exit}, {@code -N} after death by signal N, or {@link
     * #EXIT_CODE_LOST} for a child on another host that was lost with its host or agent}
     */
    public @Nullable Integer exitCode() {
        checkNotClosed();
        ChildProcessHandle h = handle;
        return h == null ? null : h.exitCode();
    }

    /**
     * Sends SIGTERM: the child JVM runs its shutdown hooks and exits with {@code -15}. Does
     * nothing if the process has ended.
     *
     * @throws IllegalStateException if not started or closed
     */
    public void terminate() {
        signalHandle().terminate();
    }

    /**
     * Sends SIGKILL: the child ends at once with {@code -9}. Does nothing if it has ended.
     *
     * @throws IllegalStateException if not started or closed
     */
    public void kill() {
        signalHandle().kill();
    }

    private ChildProcessHandle signalHandle() {
        checkNotClosed();
        ChildProcessHandle h = handle;
        if (role != Role.CHILD || h == null) {
            throw new IllegalStateException("can only signal a started child process; " + name + " is not one");
        }
        return h;
    }

    /**
     * Releases the pipes of an ended process. Afterwards every method but {@link #name()},
     * {@link #isDaemon()} and {@link #toString()} throws. Idempotent.
     *
     * @throws IllegalStateException if the process is still running
     */
    public void close() {
        if (closed) {
            return;
        }
        ChildProcessHandle h = handle;
        if (h != null) {
            if (h.isAlive()) {
                throw new IllegalStateException("cannot close " + name
                        + " while it is still running; join() or terminate() it first");
            }
            h.close();
            ProcessRuntime.current().removeChild(this);
        }
        closed = true;
    }

    /** {@return the name: {@code Process-N} unless set} */
    public String name() {
        return name;
    }

    /** {@return the identity: {@code "1:2"} for {@code Process-1:2}, empty for the root} */
    String identity() {
        return identity;
    }

    /**
     * Sets the name, used in messages and seen by the child if set before {@link #start()}.
     *
     * @param name the new name
     */
    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** {@return the daemon flag; by default the creating process's} */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * A daemon process is terminated when its parent exits, and may not have children.
     *
     * @param daemon the new flag
     * @throws IllegalStateException if the process was started already
     */
    public void setDaemon(boolean daemon) {
        if (handle != null) {
            throw new IllegalStateException("cannot change the daemon flag of " + name + " after start()");
        }
        this.daemon = daemon;
    }

    /**
     * The process's authentication key, Python's {@code authkey}: the default key of
     * {@link Listener} and {@link Client} in that process. A new process gets its creator's key
     * unless one is set before {@link #start()}; every process of a tree starts with the root's
     * 32 random bytes. (The links between the processes of a tree keep proving the root's key
     * whatever is set here.)
     *
     * @return a copy of the key
     */
    public byte[] authkey() {
        if (role == Role.CURRENT) {
            return ProcessRuntime.current().processAuthkey();
        }
        byte[] k = authkey;
        return k != null ? k.clone() : ProcessRuntime.current().processAuthkey();
    }

    /**
     * Sets the process's authentication key: for the current process at once, for a new one
     * before {@link #start()}. The key never appears on a command line or in the environment:
     * a child gets it in its bootstrap frame, on its stdin.
     *
     * @param authkey the key, not empty; copied
     * @throws IllegalArgumentException if it is empty
     * @throws IllegalStateException    if the process was started already, or is the parent
     */
    public void setAuthkey(byte[] authkey) {
        if (authkey.length == 0) {
            throw new IllegalArgumentException("an authkey must not be empty");
        }
        if (role == Role.CURRENT) {
            ProcessRuntime.current().setProcessAuthkey(authkey);
            return;
        }
        if (role == Role.PARENT || handle != null) {
            throw new IllegalStateException("cannot change the authkey of " + name
                    + (role == Role.PARENT ? " (the parent process)" : " after start()"));
        }
        this.authkey = authkey.clone();
    }

    /** {@return the context the process starts with} */
    public Context context() {
        Context c = context;
        return c != null ? c : ProcessRuntime.current().context();
    }

    private void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("process object " + name + " is closed");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<").append(getClass().getSimpleName())
                .append(" name='").append(name).append('\'');
        if (closed) {
            return sb.append(" closed>").toString();
        }
        Integer code = role == Role.CHILD ? exitCode() : null;
        if (role == Role.CHILD && handle == null) {
            sb.append(" initial");
        } else if (code != null) {
            sb.append(" exitcode=").append(code);
        } else {
            sb.append(" pid=").append(pid()).append(" started");
        }
        if (daemon) {
            sb.append(" daemon");
        }
        return sb.append('>').toString();
    }

    /**
     * Writes the whole object, only for the child it describes.
     *
     * @param out the stream
     * @throws IOException for any other attempt ({@link NotSerializableException})
     */
    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        if (!ChildEncoding.isFor(this)) {
            throw new NotSerializableException(getClass().getName()
                    + " (a Process object cannot be passed to another process; pass its name or pid)");
        }
        out.defaultWriteObject();
    }

    /**
     * Read in the child it describes, where it becomes the current process.
     *
     * @param in the stream
     * @throws IOException            if the stream is not a process
     * @throws ClassNotFoundException if a class of its target is missing
     */
    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        // Decoded in the child it describes: from now on it stands for the current process.
        this.role = Role.CURRENT;
        this.knownPid = ProcessHandle.current().pid();
    }
}
