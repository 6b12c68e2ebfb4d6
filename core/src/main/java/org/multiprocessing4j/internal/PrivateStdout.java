package org.multiprocessing4j.internal;

import java.io.FileDescriptor;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Moves a child's link off file descriptor 1. The link to the parent starts on the child's
 * stdout, but other writers of descriptor 1 would corrupt it: the JVM's thread dumps on
 * SIGQUIT, unified logging without an output, a {@code ProcessBuilder.inheritIO()} in a target.
 * So the link is duplicated to a private descriptor, and descriptor 1 is pointed at stderr,
 * where such output belongs anyway. Linux only (it reopens the pipe through /proc); elsewhere,
 * or if anything fails, the link stays on descriptor 1.
 */
final class PrivateStdout {
    private static final int STDOUT = 1;
    private static final int STDERR = 2;

    private PrivateStdout() {
    }

    /** @return a stream onto the link, on a private descriptor where possible */
    @SuppressWarnings("restricted") // children start with --enable-native-access=ALL-UNNAMED
    static OutputStream open() {
        try {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            MethodHandle dup = linker.downcallHandle(libc.find("dup").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle dup2 = linker.downcallHandle(libc.find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int copy = (int) dup.invokeExact(STDOUT);
            if (copy < 0) {
                return fallback();
            }
            FileOutputStream link;
            try {
                link = new FileOutputStream("/proc/self/fd/" + copy);
            } catch (FileNotFoundException noProc) {
                int ignored = (int) close.invokeExact(copy);
                return fallback();
            }
            int closed = (int) close.invokeExact(copy);
            int moved = (int) dup2.invokeExact(STDERR, STDOUT);
            return closed < 0 && moved < 0 ? fallback() : link;
        } catch (Throwable t) {
            return fallback();
        }
    }

    private static OutputStream fallback() {
        return new FileOutputStream(FileDescriptor.out);
    }
}
