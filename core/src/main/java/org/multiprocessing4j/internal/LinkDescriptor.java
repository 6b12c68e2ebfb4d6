package org.multiprocessing4j.internal;

import java.io.FileDescriptor;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps a child's link off file descriptor 1. The link to the parent is the pipe the parent
 * made for the child's stdout, but other writers of descriptor 1 would corrupt it: the JVM's
 * thread dump on SIGQUIT, unified logging without an output, a {@code ProcessBuilder.inheritIO()}
 * in a target. So the parent starts the child through {@code /bin/sh}, which moves that pipe to
 * descriptor 3, points descriptor 1 at stderr and {@code exec}s java (same process, no native
 * call in the child); the child opens its link as {@code /dev/fd/3}. Where there is no
 * {@code /bin/sh} the link stays on descriptor 1.
 */
final class LinkDescriptor {
    /** The system property that names the link's path in the child; absent: descriptor 1. */
    static final String PROPERTY = "multiprocessing4j.link";
    private static final Path SHELL = Path.of("/bin/sh");
    private static final String LINK_PATH = "/dev/fd/3";
    /** {@code "$@"} is the java command line, passed as arguments: nothing is quoted or parsed. */
    private static final List<String> SHELL_LAUNCHER = List.of(SHELL.toString(), "-c", "exec 3>&1 1>&2 \"$@\"", "sh");

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
}
