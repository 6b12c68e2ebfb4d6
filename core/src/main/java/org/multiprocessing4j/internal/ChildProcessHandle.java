package org.multiprocessing4j.internal;

import com.google.protobuf.ByteString;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.internal.wire.FrameReader;
import org.multiprocessing4j.internal.wire.WireException;
import org.multiprocessing4j.internal.wire.proto.Bootstrap;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.Output;
import org.multiprocessing4j.spi.ChildPlacement;
import org.multiprocessing4j.spi.PlacedJvm;

/**
 * The parent's side of one child JVM: the OS process, the control link to its stdin, and the
 * threads that read its stdout (frames) and stderr (raw bytes, for what the JVM itself prints).
 *
 * <p>A handle starts as a JVM that is no process yet ({@link #launch}): a standby waiting for
 * its bootstrap, or a cold JVM about to get one. {@link #run} makes it a given child. Until
 * then nothing it writes to stderr is printed, only kept: a standby that dies unused makes no
 * noise, and a used one prints what a cold child would have printed.
 */
public final class ChildProcessHandle {
    private static final int STDERR_TAIL_BYTES = 4096;
    /** Room in the bootstrap frame for everything but the target. */
    private static final int BOOTSTRAP_OVERHEAD = 64 * 1024;
    private static final Duration EXIT_AFTER_EOF = Duration.ofSeconds(10);
    /**
     * How long {@link #join} waits, once the child has ended, for the rest of its output: read
     * within milliseconds when only the child had the pipes, a bound when a grandchild that
     * inherited them holds them open.
     */
    private static final Duration OUTPUT_AFTER_EXIT = Duration.ofSeconds(5);

    private volatile String name;
    /** Null until {@link #run} makes this JVM a child. */
    private volatile @Nullable String identity;
    private final java.lang.Process os;
    private final int maxFrameSize;
    private volatile @Nullable ControlLink link;
    private final CompletableFuture<Long> started = new CompletableFuture<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CountDownLatch framesDone = new CountDownLatch(1);
    private final CountDownLatch stderrDone = new CountDownLatch(1);
    private final StderrTail stderrTail = new StderrTail(STDERR_TAIL_BYTES);
    /** Guards {@link #relayStderr} and the order of what the pump prints. */
    private final Object stderrLock = new Object();
    private boolean relayStderr;
    private final Thread frameReader;
    private final Thread stderrPump;

    private ChildProcessHandle(String label, java.lang.Process os, int maxFrameSize) {
        this.name = label;
        this.os = os;
        this.maxFrameSize = maxFrameSize;
        this.frameReader = Thread.ofPlatform().daemon().name("multiprocessing4j-link-" + label).unstarted(this::readFrames);
        this.stderrPump = Thread.ofPlatform().daemon().name("multiprocessing4j-stderr-" + label).unstarted(this::pumpStderr);
    }

    /**
     * Starts a child JVM that waits for its bootstrap frame.
     *
     * @param context how to start it
     * @param standby true for a standby, which warms up and reports {@link #isReady() ready}
     * @param label   what to call it in messages until it becomes a process
     * @return the JVM's handle, not yet a process
     * @throws ProcessStartException if the JVM cannot be started
     */
    static ChildProcessHandle launch(Context context, boolean standby, String label) {
        java.lang.Process os;
        try {
            os = ChildLauncher.processBuilder(context, standby).start();
        } catch (IOException e) {
            throw new ProcessStartException(context.javaExecutable() + " failed to run: " + e.getMessage(), e);
        }
        return reading(label + " (pid " + os.pid() + ")", os, context.maxFrameSize());
    }

    /**
     * Starts a child, on a standby JVM of the context when one is there, sends it its bootstrap
     * frame, and waits until it runs its target.
     *
     * @param name     the child's name
     * @param identity the child's identity
     * @param daemon   the child's daemon flag
     * @param target   the encoded {@link org.multiprocessing4j.Process}, or its encoded target alone
     * @param targetOnly whether {@code target} is the target alone ({@link TargetOnly})
     * @param context  how to start it
     * @param authkey  the child's {@code Process.authkey()}
     * @param deadline how long the child may take to report that it runs its target before it is
     *                 killed, or null for no limit
     * @return the handle of the running child
     * @throws ProcessStartException if the JVM cannot be started, ends before running the target
     *                               (the message has what it printed), or misses the deadline
     */
    public static ChildProcessHandle start(String name, String identity, boolean daemon, byte[] target,
                                           boolean targetOnly, Context context, byte[] authkey,
                                           @Nullable Duration deadline) {
        ProcessRuntime rt = ProcessRuntime.current();
        if (target.length > context.maxFrameSize() - BOOTSTRAP_OVERHEAD) {
            throw new org.multiprocessing4j.CodecException("the target of " + name + " encodes to " + target.length
                    + " bytes, more than the context's maxFrameSize of " + context.maxFrameSize()
                    + " allows; capture less, or raise Context.Builder.maxFrameSize");
        }
        Bootstrap.Builder bootstrap = ChildLauncher.bootstrap(name, identity, daemon, target, context)
                .setTargetOnly(targetOnly)
                .setAuthkey(ByteString.copyFrom(rt.authkey()))
                .setParentPid(ProcessHandle.current().pid())
                .setParentName(rt.name())
                .setParentAddress(rt.identity())
                .setRootPid(rt.root().pid())
                .setRootStartTime(rt.root().startTime())
                .setProcessAuthkey(java.util.Arrays.equals(authkey, rt.authkey()) ? ByteString.EMPTY
                        : ByteString.copyFrom(authkey));
        ChildProcessHandle handle = placed(name, context, rt);
        bootstrap.setParentElsewhere(handle != null);
        if (handle == null) {
            handle = rt.standbys().take(context);
        }
        if (handle == null) {
            try {
                handle = launch(context, false, name);
            } catch (ProcessStartException e) {
                throw new ProcessStartException("cannot start " + name + ": " + e.getMessage(), e);
            }
        }
        handle.run(name, identity, bootstrap.build(), deadline);
        return handle;
    }

    /**
     * {@return the handle of a JVM that the transport started on another host, or null when it
     * starts children on this machine}
     *
     * @throws ProcessStartException if it could not be placed, or names a host this transport
     *                               cannot reach
     */
    private static @Nullable ChildProcessHandle placed(String name, Context context, ProcessRuntime rt) {
        ChildPlacement placement = rt.transport().placement();
        PlacedJvm jvm;
        try {
            jvm = placement == null ? null : placement.place(ChildLauncher.request(name, context));
        } catch (ProcessStartException e) {
            throw new ProcessStartException("cannot start " + name + ": " + e.getMessage(), e);
        }
        if (jvm == null) {
            if (context.host() != null) {
                throw new ProcessStartException("cannot start " + name + " on host " + context.host() + ": the "
                        + rt.transport() + " starts every child on this machine (its context names a host;"
                        + " only a transport that places children on other hosts, such as hazelcast with agents, can)");
            }
            return null;
        }
        return reading(name + " (pid " + jvm.pid() + " on " + jvm.host() + ")", jvm, context.maxFrameSize());
    }

    /** {@return the handle of a started JVM, reading its stdout (frames) and stderr} */
    private static ChildProcessHandle reading(String label, java.lang.Process os, int maxFrameSize) {
        ChildProcessHandle handle = new ChildProcessHandle(label, os, maxFrameSize);
        handle.frameReader.start();
        handle.stderrPump.start();
        return handle;
    }

    /** Makes this JVM the child {@code name}: sends the bootstrap and waits for the target to run. */
    private void run(String name, String identity, Bootstrap bootstrap, @Nullable Duration deadline) {
        ControlLink l = new ControlLink(new BufferedOutputStream(os.getOutputStream(), 1 << 16), "link to " + name,
                maxFrameSize);
        this.name = name;
        this.link = l;
        this.identity = identity;
        frameReader.setName("multiprocessing4j-link-" + name);
        stderrPump.setName("multiprocessing4j-stderr-" + name);
        synchronized (stderrLock) {
            byte[] said = stderrTail.bytes();
            System.err.write(said, 0, said.length);
            System.err.flush();
            relayStderr = true;
        }
        try {
            l.sendFirst(Envelope.newBuilder().setBootstrap(bootstrap).build());
        } catch (FrameTooLargeException e) {
            // Nothing was sent, and the child would wait for its bootstrap for ever.
            kill();
            throw new ProcessStartException("cannot start " + name + ": its bootstrap was not sent: " + e.getMessage(), e);
        } catch (IOException e) {
            // The child died before reading: the wait below reports why.
        }
        awaitStarted(deadline);
    }

    /** {@return true once a standby has warmed up and waits for its bootstrap} */
    boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /**
     * Sends a standby away: its stdin closes (its lifeline) and it is killed, without noise:
     * nothing it printed is shown.
     */
    void retire() {
        closeQuietly(os.getOutputStream());
        kill();
    }

    private void readFrames() {
        ControlLink.markLinkReader();
        FrameReader reader = new FrameReader(new BufferedInputStream(os.getInputStream(), 1 << 16),
                maxFrameSize, "link from " + name);
        try {
            Envelope e;
            while ((e = reader.read()) != null) {
                dispatch(e);
            }
        } catch (WireException e) {
            String why = "closing the link to " + name + ": " + e.getMessage();
            started.completeExceptionally(new ProcessStartException(why));
            if (identity != null) {
                System.err.println("multiprocessing4j: " + why);
            }
            ControlLink l = link;
            if (l != null) {
                l.close();
            }
            // Before the start: not one of our children. After: a child whose link is garbled
            // cannot be reached any more; it is ended rather than left running unreachable.
            kill();
        } catch (IOException e) {
            // the child is gone; its exit code tells why
        } finally {
            ready.completeExceptionally(new IOException("the link closed"));
            started.completeExceptionally(new IOException("the link closed before the target ran"));
            String id = identity;
            if (id != null) {
                ProcessRuntime.current().router().childGone(id);
            }
            // The child's stdout ended: the child has. Nothing can be sent to it any more, so
            // its link goes now, with the writer thread it may have started, and the pipes with
            // it: they used to wait for Process.close(), which few programs call, and a
            // long-running parent kept a parked thread and its pipes for every ended child.
            ControlLink l = link;
            if (l != null) {
                l.close();
            } else {
                closeQuietly(os.getOutputStream());
            }
            closeQuietly(os.getInputStream());
            framesDone.countDown();
        }
    }

    private void awaitStarted(@Nullable Duration deadline) {
        String who = os instanceof PlacedJvm placed ? name + " on " + placed.where() : name;
        try {
            if (deadline == null) {
                started.get();
            } else {
                started.get(Math.max(0, saturatedNanos(deadline)), TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            kill();
            Integer code = awaitExit();
            String said = stderrTail.text().strip();
            throw new ProcessStartException("cannot start " + who + ": it did not report that it runs its target within "
                    + deadline.toMillis() + " ms, so it was killed (" + (code == null ? "still running" : ExitCodes.describe(code)) + ")"
                    + (said.isEmpty() ? "" : "; it printed: " + said));
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new ProcessStartException("interrupted while starting " + who + "; it was killed", e);
        } catch (ExecutionException e) {
            Integer code = awaitExit();
            String why = e.getCause() instanceof ProcessStartException failed
                    ? failed.getMessage()
                    : "the child JVM ended before running its target ("
                    + (code == null ? "killed after " + EXIT_AFTER_EOF.toSeconds() + " s" : ExitCodes.describe(code)) + ")";
            String said = stderrTail.text().strip();
            throw new ProcessStartException("cannot start " + who + ": " + why
                    + (said.isEmpty() ? "" : "; it printed: " + said));
        }
    }

    /** Waits for a child that failed to start to end, and for its stderr to be read. */
    private @Nullable Integer awaitExit() {
        try {
            if (!os.waitFor(EXIT_AFTER_EOF.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                return null;
            }
            stderrDone.await(EXIT_AFTER_EOF.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitCode();
    }

    private void dispatch(Envelope e) {
        String id = identity;
        ControlLink l = link;
        if (e.getBodyCase() == Envelope.BodyCase.STANDBY_READY) {
            ready.complete(null);
            return;
        }
        if ((id == null || l == null) && e.getBodyCase() != Envelope.BodyCase.OUTPUT) {
            return; // a JVM that is no process yet has nothing else to say
        }
        switch (e.getBodyCase()) {
            case STARTED -> {
                ProcessRuntime.current().router().childAttached(id, l);
                started.complete(e.getStarted().getPid());
            }
            case START_FAILED -> started.completeExceptionally(
                    new ProcessStartException(e.getStartFailed().getMessage()));
            case OUTPUT -> {
                PrintStream target = e.getOutput().getStream() == Output.Stream.STDERR ? System.err : System.out;
                byte[] data = e.getOutput().getData().toByteArray();
                target.write(data, 0, data.length);
                target.flush();
            }
            default -> {
                try {
                    ProcessRuntime.current().router().onFrame(e, id);
                } catch (RuntimeException failure) {
                    System.err.println("multiprocessing4j: dropped a frame from " + name + ": " + failure);
                }
            }
        }
    }

    private void pumpStderr() {
        byte[] buf = new byte[4096];
        try (InputStream in = os.getErrorStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (stderrLock) {
                    stderrTail.append(buf, n);
                    if (relayStderr) {
                        System.err.write(buf, 0, n);
                        System.err.flush();
                    }
                }
            }
        } catch (IOException ignored) {
            // the child is gone
        } finally {
            stderrDone.countDown();
        }
    }

    /** {@return the child's process id} */
    public long pid() {
        return os.pid();
    }

    /**
     * {@return the control link to the child's stdin}
     *
     * @throws IllegalStateException if this JVM is no process yet
     */
    public ControlLink link() {
        ControlLink l = link;
        if (l == null) {
            throw new IllegalStateException(name + " is not a process yet");
        }
        return l;
    }

    /** {@return the host a transport placed the child on, or null when it runs on this machine} */
    public @Nullable String host() {
        return os instanceof PlacedJvm placed ? placed.host() : null;
    }

    /** {@return why a child on another host counts as lost, or null} */
    public @Nullable String lostReason() {
        return os instanceof PlacedJvm placed ? placed.lostReason() : null;
    }

    /** {@return whether the child JVM is still running} */
    public boolean isAlive() {
        return os.isAlive();
    }

    /** {@return Python's exit code, or null while the child runs} */
    public @Nullable Integer exitCode() {
        return os.isAlive() ? null : ExitCodes.fromJdk(os.exitValue());
    }

    /**
     * Waits for the child to end and for all its output to be printed.
     *
     * @param timeout how long to wait at most; null waits without limit
     * @return true if the child ended in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(@Nullable Duration timeout) throws InterruptedException {
        if (timeout == null) {
            os.waitFor();
            // What the child wrote is in the pipes when it ends, and read within milliseconds;
            // a grandchild that inherited them may hold them open far longer (Python's join
            // does not wait for it either).
            if (framesDone.await(OUTPUT_AFTER_EXIT.toNanos(), TimeUnit.NANOSECONDS)) {
                stderrDone.await(OUTPUT_AFTER_EXIT.toNanos(), TimeUnit.NANOSECONDS);
            }
            return true;
        }
        long nanos = Math.max(0, saturatedNanos(timeout));
        long deadline = System.nanoTime() + nanos;
        if (!os.waitFor(nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        // Output still in the pipes is printed before join returns; a grandchild holding the
        // pipes open cannot make join wait longer than the caller allowed, nor than
        // OUTPUT_AFTER_EXIT.
        long outputDeadline = Math.min(deadline - System.nanoTime(), OUTPUT_AFTER_EXIT.toNanos()) + System.nanoTime();
        if (framesDone.await(Math.max(0, outputDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            stderrDone.await(Math.max(0, outputDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return true;
    }

    /**
     * Sends SIGTERM. Through {@link ProcessHandle}: {@link java.lang.Process#destroy()} would
     * also close the pipes, cutting off the child's last output and tripping its lifeline.
     */
    public void terminate() {
        if (os instanceof PlacedJvm placed) {
            placed.terminate();
        } else {
            os.toHandle().destroy();
        }
    }

    /** Sends SIGKILL. */
    public void kill() {
        if (os instanceof PlacedJvm placed) {
            placed.kill();
        } else {
            os.toHandle().destroyForcibly();
        }
    }

    /** {@return {@code d} in nanoseconds, at most half of {@link Long#MAX_VALUE}: added to a nanoTime, it cannot wrap} */
    private static long saturatedNanos(Duration d) {
        return Math.min(Long.MAX_VALUE / 2, Primitives.saturatedNanos(d));
    }

    /** Releases the pipes of an ended child. */
    public void close() {
        ControlLink l = link;
        if (l != null) {
            l.close();
        }
        closeQuietly(os.getInputStream());
        closeQuietly(os.getErrorStream());
    }

    private static void closeQuietly(java.io.Closeable stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // nothing to release any more
        }
    }
}
