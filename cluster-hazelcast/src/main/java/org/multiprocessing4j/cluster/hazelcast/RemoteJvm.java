package org.multiprocessing4j.cluster.hazelcast;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.spi.PlacedJvm;

/**
 * A child JVM that an agent runs for this process ({@link Launch}): its stdin and stdout on one
 * relay connection, its stderr on another, signals and its exit value on the third. When the
 * third closes before the exit value came, or the agent leaves the cluster, the JVM is {@link
 * #lost}: it counts as ended with {@link PlacedJvm#LOST}, and every connection is closed so that
 * nothing waits on it.
 */
final class RemoteJvm extends PlacedJvm {
    private final String name;
    private final long pid;
    private final String host;
    private final String agent;
    private final UUID agentMember;
    private final Socket stdio;
    private final Socket stderr;
    private final Socket control;
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile @Nullable String lostReason;

    /**
     * Takes over the relay connections and watches the control one.
     *
     * @param name        the child's name
     * @param pid         its pid on the agent's host
     * @param host        the agent's host
     * @param agent       the agent's address
     * @param agentMember the agent's member
     * @param sockets     the three relay connections
     * @param onEnd       told once when it ended or was lost
     */
    RemoteJvm(String name, long pid, String host, String agent, UUID agentMember,
              Map<Launch.Channel, Socket> sockets, Consumer<RemoteJvm> onEnd) throws IOException {
        this.name = name;
        this.pid = pid;
        this.host = host;
        this.agent = agent;
        this.agentMember = agentMember;
        this.stdio = sockets.get(Launch.Channel.STDIO);
        this.stderr = sockets.get(Launch.Channel.STDERR);
        this.control = sockets.get(Launch.Channel.CONTROL);
        OutputStream raw = stdio.getOutputStream();
        this.stdin = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                raw.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                raw.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                raw.flush();
            }

            /** Closes the child's stdin only: its stdout still comes on the same connection. */
            @Override
            public void close() throws IOException {
                if (!stdio.isClosed()) {
                    stdio.shutdownOutput();
                }
            }
        };
        InputStream controlIn = control.getInputStream();
        exit.whenComplete((v, e) -> onEnd.accept(this));
        Thread.ofPlatform().daemon().name("multiprocessing4j-remote-" + name).start(() -> {
            try {
                exit.complete(new DataInputStream(controlIn).readInt());
            } catch (IOException e) {
                lost("the connection to its agent " + agent + " closed before the agent reported its exit"
                        + " (the agent or its host is gone)");
            } finally {
                closeQuietly(control);
            }
        });
    }

    /** {@return the member of the agent that runs it} */
    UUID agentMember() {
        return agentMember;
    }

    /**
     * Counts it as ended with {@link PlacedJvm#LOST}, unless its exit is known, says so on
     * stderr, and closes its connections.
     *
     * @param reason what happened, for messages and {@link #lostReason()}
     */
    void lost(String reason) {
        synchronized (this) {
            if (exit.isDone()) {
                return;
            }
            lostReason = reason;
        }
        System.err.println("multiprocessing4j: lost " + name + " (pid " + pid + " on " + host + "): " + reason
                + "; its exit code is unknown (reported as " + Process.EXIT_CODE_LOST + ")");
        exit.complete(LOST);
        closeQuietly(stdio);
        closeQuietly(stderr);
        closeQuietly(control);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String where() {
        return "host " + host + " (agent " + agent + ")";
    }

    @Override
    public @Nullable String lostReason() {
        return lostReason;
    }

    @Override
    public void terminate() {
        signal(Launch.TERMINATE);
    }

    @Override
    public void kill() {
        signal(Launch.KILL);
    }

    private synchronized void signal(int what) {
        if (exit.isDone()) {
            return;
        }
        try {
            OutputStream out = control.getOutputStream();
            out.write(what);
            out.flush();
        } catch (IOException e) {
            // the connection is closing: the JVM has ended or is being lost
        }
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return input(stdio);
    }

    @Override
    public InputStream getErrorStream() {
        return input(stderr);
    }

    /** A closed connection reads as the end of the stream, as a pipe of an ended process does. */
    private static InputStream input(Socket s) {
        try {
            return s.getInputStream();
        } catch (IOException closed) {
            return InputStream.nullInputStream();
        }
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(Math.max(0, timeout), unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public CompletableFuture<java.lang.Process> onExit() {
        return exit.thenApply(v -> this);
    }

    @Override
    public int exitValue() {
        Integer v = exit.getNow(null);
        if (v == null) {
            throw new IllegalThreadStateException(name + " has not exited");
        }
        return v;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public String toString() {
        return name + " (pid " + pid + " on " + host + ", agent " + agent + ")";
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
