package org.multiprocessing4j;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.TransportSelection;

/**
 * The module-level functions of Python's {@code multiprocessing}: the current and parent
 * process, the live children, the CPU count and the default context.
 *
 * @since 0.1
 */
public final class Multiprocessing {
    private static final Object SELF_LOCK = new Object();
    private static volatile @Nullable Process parent;

    private Multiprocessing() {
    }

    /**
     * {@return the process this code runs in: {@code MainProcess} in the root JVM, and in a child
     * the very {@link Process} object (of the user's subclass, if any) that was started}
     */
    public static Process currentProcess() {
        ProcessRuntime rt = ProcessRuntime.current();
        Process self = rt.self();
        if (self != null) {
            return self;
        }
        synchronized (SELF_LOCK) {
            self = rt.self();
            if (self == null) {
                self = new Process(rt.name(), rt.identity(), rt.isDaemon(), ProcessHandle.current().pid(), false);
                rt.setSelf(self);
            }
            return self;
        }
    }

    /**
     * {@return the parent process (it can be asked for its name, pid and whether it is alive), or
     * null in the root process}
     */
    public static @Nullable Process parentProcess() {
        ProcessRuntime rt = ProcessRuntime.current();
        ProcessRuntime.ParentInfo info = rt.parent();
        if (info == null) {
            return null;
        }
        Process p = parent;
        if (p == null) {
            synchronized (SELF_LOCK) {
                p = parent;
                if (p == null) {
                    p = new Process(info.name(), info.identity(), false, info.pid(), true);
                    parent = p;
                }
            }
        }
        return p;
    }

    /**
     * {@return the children of this process that are still running; ended ones are forgotten}
     */
    public static List<Process> activeChildren() {
        return ProcessRuntime.current().activeChildren();
    }

    /** {@return the number of processors available to this JVM} */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * {@return the context new processes use by default: in a child, the one its parent used}
     */
    public static Context getContext() {
        return ProcessRuntime.current().context();
    }

    /**
     * The default context bound to the named transport: Python's {@code get_context(method)},
     * where the choice is the transport rather than the start method (every process here is a
     * fresh JVM, Python's "spawn").
     *
     * @param transport a transport provider's name, such as {@code "pipe"} or {@code "socket"}
     * @return the context
     * @throws MultiprocessingException if no provider of that name is on the class path (the
     *                                  message says which artifact to add and lists those
     *                                  found), or if it is not available here (it says why)
     */
    public static Context getContext(String transport) {
        checkTransport(transport);
        return getContext().toBuilder().transport(transport).build();
    }

    /**
     * Checks that a transport of that name is on the class path and available here.
     *
     * @param transport its name
     * @throws MultiprocessingException saying why not, and listing the providers found
     */
    static void checkTransport(String transport) {
        TransportSelection.load(classLoader()).select(transport, null);
    }

    /**
     * {@return the name of the transport this process uses when none is named}: the one its
     * default context is bound to (in a child, the one it was started with, as Python's
     * {@code get_start_method()} in a child gives its parent's), else what the selection rules
     * pick: the system property {@code multiprocessing4j.transport}, then the available provider
     * of highest priority
     *
     * @throws MultiprocessingException if none is available; the message lists what was found
     */
    public static String defaultTransport() {
        String bound = getContext().transport();
        if (bound != null) {
            return bound;
        }
        return TransportSelection.load(classLoader())
                .select(null, System.getProperty(TransportSelection.PROPERTY)).name();
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Multiprocessing.class.getClassLoader();
    }
}
