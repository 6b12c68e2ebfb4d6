package org.multiprocessing4j.internal;

import com.google.protobuf.ByteString;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.internal.wire.FrameReader;
import org.multiprocessing4j.internal.wire.WireConstants;
import org.multiprocessing4j.internal.wire.WireException;
import org.multiprocessing4j.internal.wire.proto.Bootstrap;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.LaunchSettings;
import org.multiprocessing4j.internal.wire.proto.Output;

/**
 * The parent's side of one child JVM: the OS process, the control link to its stdin, and the
 * threads that read its stdout (frames) and stderr (raw bytes, for what the JVM itself prints).
 */
public final class ChildProcessHandle {
    /** Options every child JVM gets: native access, and JVM logging kept off stdout (the link). */
    private static final List<String> FIXED_JVM_OPTIONS = List.of(
            "--enable-native-access=ALL-UNNAMED",
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-XX:+DisplayVMOutputToStderr");
    private static final int STDERR_TAIL_BYTES = 4096;
    /** Room in the bootstrap frame for everything but the target. */
    private static final int BOOTSTRAP_OVERHEAD = 64 * 1024;
    private static final Duration EXIT_AFTER_EOF = Duration.ofSeconds(10);

    private final String name;
    private final String identity;
    private final java.lang.Process os;
    private final ControlLink link;
    private final CompletableFuture<Long> started = new CompletableFuture<>();
    private final CountDownLatch framesDone = new CountDownLatch(1);
    private final CountDownLatch stderrDone = new CountDownLatch(1);
    private final StderrTail stderrTail = new StderrTail(STDERR_TAIL_BYTES);

    private ChildProcessHandle(String name, String identity, java.lang.Process os) {
        this.name = name;
        this.identity = identity;
        this.os = os;
        this.link = new ControlLink(new BufferedOutputStream(os.getOutputStream(), 1 << 16), "link to " + name);
    }

    /**
     * Starts a child JVM, sends it its bootstrap frame, and waits until it runs its target.
     *
     * @param name     the child's name
     * @param identity the child's identity
     * @param daemon   the child's daemon flag
     * @param target   the encoded {@link org.multiprocessing4j.Process}
     * @param context  how to start it
     * @return the handle of the running child
     * @throws ProcessStartException if the JVM cannot be started, or ends before running the
     *                               target (the message has what it printed)
     */
    public static ChildProcessHandle start(String name, String identity, boolean daemon, byte[] target,
                                           Context context) {
        ProcessRuntime rt = ProcessRuntime.current();
        if (target.length > context.maxFrameSize() - BOOTSTRAP_OVERHEAD) {
            throw new org.multiprocessing4j.CodecException("the target of " + name + " encodes to " + target.length
                    + " bytes, more than the context's maxFrameSize of " + context.maxFrameSize()
                    + " allows; capture less, or raise Context.Builder.maxFrameSize");
        }
        Bootstrap bootstrap = Bootstrap.newBuilder()
                .setProtocolVersion(WireConstants.PROTOCOL_VERSION)
                .setName(name)
                .setAddress(identity)
                .setAuthkey(ByteString.copyFrom(rt.authkey()))
                .setDaemon(daemon)
                .setExitWithParent(context.exitWithParent())
                .setParentPid(ProcessHandle.current().pid())
                .setParentName(rt.name())
                .setParentAddress(rt.identity())
                .setRootPid(rt.root().pid())
                .setRootStartTime(rt.root().startTime())
                .setCodec(ByteString.copyFrom(serializeCodec(context)))
                .setTarget(ByteString.copyFrom(target))
                .setMaxFrameSize(context.maxFrameSize())
                .setTransport(context.transport() == null ? "" : context.transport())
                .setLaunch(LaunchSettings.newBuilder()
                        .setJavaExecutable(context.javaExecutable().toString())
                        .addAllJvmOptions(context.jvmOptions())
                        .putAllEnvironment(context.environment())
                        .setClassPath(context.classPath()))
                .build();
        ProcessBuilder pb = new ProcessBuilder(command(context));
        pb.environment().putAll(context.environment());
        java.lang.Process os;
        try {
            os = pb.start();
        } catch (IOException e) {
            throw new ProcessStartException("cannot start " + name + ": " + context.javaExecutable()
                    + " failed to run: " + e.getMessage(), e);
        }
        ChildProcessHandle handle = new ChildProcessHandle(name, identity, os);
        handle.startReaders(context.maxFrameSize());
        try {
            handle.link.send(Envelope.newBuilder().setBootstrap(bootstrap).build());
        } catch (IOException e) {
            // The child died before reading: the wait below reports why.
        }
        handle.awaitStarted();
        return handle;
    }

    private static List<String> command(Context context) {
        List<String> cmd = new ArrayList<>();
        cmd.add(context.javaExecutable().toString());
        cmd.addAll(FIXED_JVM_OPTIONS);
        cmd.add("-Dstdout.encoding=" + System.out.charset().name());
        cmd.add("-Dstderr.encoding=" + System.err.charset().name());
        cmd.add("-D" + ChildMain.MAX_FRAME_PROPERTY + "=" + context.maxFrameSize());
        cmd.addAll(context.jvmOptions());
        if (!context.classPath().isEmpty()) {
            cmd.add("-cp");
            cmd.add(context.classPath());
        }
        cmd.add(ChildMain.class.getName());
        return cmd;
    }

    private static byte[] serializeCodec(Context context) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(context.codec());
        } catch (IOException e) {
            throw new ProcessStartException("the codec " + context.codec().getClass().getName()
                    + " cannot be serialized for the child: " + e, e);
        }
        return bytes.toByteArray();
    }

    private void startReaders(int maxFrameSize) {
        Thread.ofPlatform().daemon().name("multiprocessing4j-link-" + name).start(() -> readFrames(maxFrameSize));
        Thread.ofPlatform().daemon().name("multiprocessing4j-stderr-" + name).start(this::pumpStderr);
    }

    private void readFrames(int maxFrameSize) {
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
            System.err.println("multiprocessing4j: " + why);
            link.close();
            // Before the start: not one of our children. After: a child whose link is garbled
            // cannot be reached any more; it is ended rather than left running unreachable.
            os.toHandle().destroyForcibly();
        } catch (IOException e) {
            // the child is gone; its exit code tells why
        } finally {
            started.completeExceptionally(new IOException("the link closed before the target ran"));
            ProcessRuntime.current().router().childGone(identity);
            framesDone.countDown();
        }
    }

    private void awaitStarted() {
        try {
            started.get();
        } catch (InterruptedException e) {
            os.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ProcessStartException("interrupted while starting " + name + "; it was killed", e);
        } catch (ExecutionException e) {
            Integer code = awaitExit();
            String why = e.getCause() instanceof ProcessStartException failed
                    ? failed.getMessage()
                    : "the child JVM ended before running its target ("
                    + (code == null ? "killed after " + EXIT_AFTER_EOF.toSeconds() + " s" : ExitCodes.describe(code)) + ")";
            String said = stderrTail.text().strip();
            throw new ProcessStartException("cannot start " + name + ": " + why
                    + (said.isEmpty() ? "" : "; it printed: " + said));
        }
    }

    /** Waits for a child that failed to start to end, and for its stderr to be read. */
    private @Nullable Integer awaitExit() {
        try {
            if (!os.waitFor(EXIT_AFTER_EOF.toMillis(), TimeUnit.MILLISECONDS)) {
                os.toHandle().destroyForcibly();
                return null;
            }
            stderrDone.await(EXIT_AFTER_EOF.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitCode();
    }

    private void dispatch(Envelope e) {
        switch (e.getBodyCase()) {
            case STARTED -> {
                ProcessRuntime.current().router().childAttached(identity, link);
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
                    ProcessRuntime.current().router().onFrame(e, identity);
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
                stderrTail.append(buf, n);
                System.err.write(buf, 0, n);
                System.err.flush();
            }
        } catch (IOException ignored) {
            // the child is gone
        } finally {
            stderrDone.countDown();
        }
    }

    /** @return the child's process id */
    public long pid() {
        return os.pid();
    }

    /** @return the control link to the child's stdin */
    public ControlLink link() {
        return link;
    }

    /** @return whether the child JVM is still running */
    public boolean isAlive() {
        return os.isAlive();
    }

    /** @return Python's exit code, or null while the child runs */
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
            framesDone.await();
            stderrDone.await();
            return true;
        }
        long nanos = Math.max(0, saturatedNanos(timeout));
        long deadline = System.nanoTime() + nanos;
        if (!os.waitFor(nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        // Output still in the pipes is printed before join returns; a grandchild holding the
        // pipes open cannot make join wait longer than the caller allowed.
        if (framesDone.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            stderrDone.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return true;
    }

    /**
     * Sends SIGTERM. Through {@link ProcessHandle}: {@link java.lang.Process#destroy()} would
     * also close the pipes, cutting off the child's last output and tripping its lifeline.
     */
    public void terminate() {
        os.toHandle().destroy();
    }

    /** Sends SIGKILL. */
    public void kill() {
        os.toHandle().destroyForcibly();
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** Releases the pipes of an ended child. */
    public void close() {
        link.close();
        closeQuietly(os.getInputStream());
        closeQuietly(os.getErrorStream());
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to release any more
        }
    }

    /** The last bytes a child wrote to its stderr, for start-failure messages. */
    private static final class StderrTail {
        private final byte[] ring;
        private long written;

        StderrTail(int size) {
            ring = new byte[size];
        }

        synchronized void append(byte[] data, int length) {
            for (int i = 0; i < length; i++) {
                ring[(int) (written++ % ring.length)] = data[i];
            }
        }

        synchronized String text() {
            int size = (int) Math.min(written, ring.length);
            byte[] out = new byte[size];
            long start = written - size;
            for (int i = 0; i < size; i++) {
                out[i] = ring[(int) ((start + i) % ring.length)];
            }
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
