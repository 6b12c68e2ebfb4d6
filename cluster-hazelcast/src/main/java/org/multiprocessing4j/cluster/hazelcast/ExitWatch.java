package org.multiprocessing4j.cluster.hazelcast;

import java.util.Map;
import org.multiprocessing4j.Multiprocessing;

/**
 * Leaves the cluster when only Hazelcast keeps this process alive. Hazelcast makes its threads
 * non-daemon on purpose (its thread factory resets the flag), so a program whose {@code main}
 * has ended, or a child whose target has, would wait for them forever: the JVM does not begin
 * to exit while they run, and a child joins its non-daemon threads before it exits (as Python
 * does). This watch checks five times a second whether every other non-daemon thread has ended
 * — the only ones left being Hazelcast's ({@link #isHazelcasts}), the JVM's {@code DestroyJavaVM}, and
 * a child's own thread that joins the others — and no non-daemon child process is still
 * running (a root's member must outlive the children that use it). Then it closes the
 * transport, Hazelcast's threads end, and the process exits as it would have without them.
 */
final class ExitWatch {
    private static final long PERIOD_MILLIS = 200;
    private static final String JOINER = "org.multiprocessing4j.internal.ChildMain";

    private ExitWatch() {
    }

    /**
     * @param transport the transport to close when only Hazelcast keeps the process alive
     */
    static void start(HazelcastTransport transport) {
        Thread.ofPlatform().daemon().name("multiprocessing4j-hazelcast-exit").start(() -> {
            try {
                while (!onlyHazelcastLeft()) {
                    Thread.sleep(PERIOD_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            }
            transport.close();
        });
    }

    private static boolean onlyHazelcastLeft() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            if (t.isDaemon() || !t.isAlive() || isHazelcasts(t) || t.getName().equals("DestroyJavaVM")
                    || joinsOthers(e.getValue())) {
                continue;
            }
            return false;
        }
        return Multiprocessing.activeChildren().stream().allMatch(org.multiprocessing4j.Process::isDaemon);
    }

    /**
     * {@return whether the thread is one of Hazelcast's}: named {@code hz.INSTANCE.…}, or its
     * networking's close-listener pool ({@code INSTANCE-NioNetworking-closeListenerExecutor}),
     * which idles in a plain executor's frames, so only its name tells
     */
    static boolean isHazelcasts(Thread t) {
        String name = t.getName();
        return name.startsWith("hz.") || name.contains("-NioNetworking-");
    }

    private static boolean joinsOthers(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals(JOINER) && frame.getMethodName().equals("joinNonDaemonThreads")) {
                return true;
            }
        }
        return false;
    }
}
