package org.multiprocessing4j.internal;

import java.io.FileDescriptor;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps a child's link off file descriptors 0 and 1. The link to the parent is the pipe the
 * parent made for the child's stdout, but other writers of descriptor 1 would corrupt it: the
 * JVM's thread dump on SIGQUIT, unified logging without an output, a
 * {@code ProcessBuilder.inheritIO()} in a target. The link from the parent is the pipe made for
 * its stdin, and a grandchild that inherits descriptor 0 ({@code inheritIO()} again) would read
 * the parent's frames. So the parent starts the child through {@code /bin/sh}, which moves
 * those pipes to descriptors 3 and 4, points descriptor 1 at stderr and descriptor 0 at
 * {@code /dev/null}, and {@code exec}s java (same process, no native call in the child); the
 * child opens its link as {@code /dev/fd/3} and {@code /dev/fd/4}. A grandchild the JDK starts
 * inherits neither (it closes every descriptor above 2). Where there is no {@code /bin/sh} the
 * link stays on descriptors 0 and 1.
 */
final class LinkDescriptor {
    /** The system property that names the link's path in the child; absent: descriptor 1. */
    static final String PROPERTY = "multiprocessing4j.link";
    /** The system property that names the path of the link from the parent; absent: descriptor 0. */
    static final String IN_PROPERTY = "multiprocessing4j.linkIn";
    private static final String LINK_IN_PATH = "/dev/fd/4";
    private static final Path SHELL = Path.of("/bin/sh");
    private static final String LINK_PATH = "/dev/fd/3";
    /** {@code "$@"} is the java command line, passed as arguments: nothing is quoted or parsed. */
    private static final List<String> SHELL_LAUNCHER = List.of(SHELL.toString(), "-c", "exec 3>&1 4<&0 1>&2 0</dev/null \"$@\"", "sh");

    private LinkDescriptor() {
    }

    /**
     * {@return the command that starts it with the link on descriptor 3, or {@code javaCommand}
     * itself where there is no shell to do so}
     *
     * @param javaCommand the java command line, options and main class included
     */
    static List<String> launch(List<String> javaCommand) {
        if (!Files.isExecutable(SHELL)) {
            return javaCommand;
        }
        String java = javaCommand.getFirst();
        var command = new java.util.ArrayList<String>(SHELL_LAUNCHER);
        command.add(java);
        command.add("-D" + PROPERTY + "=" + LINK_PATH);
        command.add("-D" + IN_PROPERTY + "=" + LINK_IN_PATH);
        command.addAll(javaCommand.subList(1, javaCommand.size()));
        return command;
    }

    /**
     * Opens the link in the child.
     *
     * @return the stream onto the parent's end of the link
     * @throws FileNotFoundException if the parent named a link this system cannot open
     */
    static OutputStream open() throws FileNotFoundException {
        String path = System.getProperty(PROPERTY);
        return path == null ? new FileOutputStream(FileDescriptor.out) : new FileOutputStream(path);
    }

    /**
     * Opens the link from the parent in the child, as a channel: closing it at exit wakes the
     * thread reading it (see {@code ProcessRuntime}).
     *
     * @return the channel from the parent's end of the link
     * @throws FileNotFoundException if the parent named a link this system cannot open
     */
    static java.nio.channels.FileChannel openIn() throws FileNotFoundException {
        String path = System.getProperty(IN_PROPERTY);
        return (path == null ? new java.io.FileInputStream(FileDescriptor.in) : new java.io.FileInputStream(path)).getChannel();
    }
}
