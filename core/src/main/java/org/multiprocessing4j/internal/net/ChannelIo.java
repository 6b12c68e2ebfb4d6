package org.multiprocessing4j.internal.net;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Socket I/O that an interrupt cannot break. A thread interrupted while it writes to a socket
 * channel closes the channel (the JDK's rule for interruptible channels; a virtual thread's
 * {@code java.net.Socket} I/O too), which would end a remote manager's connection, and with the
 * session's primary connection everything the session holds, or cut a cluster pipe's claim in
 * the middle. So such I/O runs on a virtual thread of its own; the caller waits for it and
 * keeps its interrupt for afterwards (a call in flight is then cancelled in the server, which
 * is what an interrupt means). Shared memory's segment files are made, mapped and tracked so
 * too: an interrupted {@code FileChannel} closes itself just the same.
 */
public final class ChannelIo {
    private ChannelIo() {
    }

    /**
     * Something to do on a channel.
     *
     * @param <T> its result
     */
    @FunctionalInterface
    public interface Io<T> {
        /**
         * {@return its result}
         *
         * @throws IOException if the I/O failed
         */
        T run() throws IOException;
    }

    /**
     * {@return its result}
     *
     * @param io what to do
     * @param <T> its result
     * @throws IOException what it threw
     */
    public static <T> T shielded(Io<T> io) throws IOException {
        FutureTask<T> task = new FutureTask<>(io::run);
        Thread.ofVirtual().name("multiprocessing4j-shielded-io").start(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    switch (e.getCause()) {
                        case IOException io2 -> throw io2;
                        case RuntimeException r -> throw r;
                        case Error err -> throw err;
                        default -> throw new IOException(e.getCause());
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
