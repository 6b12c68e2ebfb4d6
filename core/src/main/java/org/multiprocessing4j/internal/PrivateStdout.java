package org.multiprocessing4j.internal;

import java.io.FileDescriptor;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.time.Duration;

/**
 * Moves a child's link off file descriptor 1. The link to the parent starts on the child's
 * stdout, but other writers of descriptor 1 would corrupt it: the JVM's thread dumps on
 * SIGQUIT, unified logging without an output, a {@code ProcessBuilder.inheritIO()} in a target.
 * So the link is reopened on a descriptor of its own (through /proc, in plain Java), and
 * descriptor 1 is pointed at stderr, where such output belongs anyway ({@code dup2} through
 * FFM). Linking the first native call costs a JVM well over 100 ms, so that part runs on a
 * thread of its own while the child reads and decodes its bootstrap, and the target waits for
 * it. Linux only; elsewhere, or if anything fails, the link stays on descriptor 1.
 */
final class PrivateStdout {
    private static final int STDOUT = 1;
    private static final int STDERR = 2;
    private static final Duration READY_WAIT = Duration.ofSeconds(5);

    private final OutputStream link;
    private final Thread mover;

    private PrivateStdout(OutputStream link, Thread mover) {
        this.link = link;
        this.mover = mover;
    }

    /** @return the link on a private descriptor where possible; descriptor 1 moves meanwhile */
    static PrivateStdout open() {
        OutputStream link;
        try {
            link = new FileOutputStream("/proc/self/fd/" + STDOUT);
        } catch (FileNotFoundException | SecurityException noProc) {
            return new PrivateStdout(new FileOutputStream(FileDescriptor.out), Thread.ofVirtual().unstarted(() -> { }));
        }
        Thread mover = Thread.ofPlatform().daemon().name("multiprocessing4j-stdout").start(PrivateStdout::pointStdoutAtStderr);
        return new PrivateStdout(link, mover);
    }

    /** @return the stream onto the link */
    OutputStream link() {
        return link;
    }

    /** Waits (a bounded time) until descriptor 1 no longer reaches the link. */
    void awaitMoved() {
        try {
            mover.join(READY_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("restricted") // children start with --enable-native-access=ALL-UNNAMED
    private static void pointStdoutAtStderr() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle dup2 = linker.downcallHandle(linker.defaultLookup().find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int ignored = (int) dup2.invokeExact(STDERR, STDOUT);
        } catch (Throwable t) {
            // the link stays shared with descriptor 1; nothing else changes
        }
    }
}
