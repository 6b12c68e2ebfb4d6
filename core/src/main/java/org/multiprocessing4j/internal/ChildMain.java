package org.multiprocessing4j.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.DefaultCodec;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessTarget;
import org.multiprocessing4j.internal.wire.FrameReader;
import org.multiprocessing4j.internal.wire.WireConstants;
import org.multiprocessing4j.internal.wire.WireException;
import org.multiprocessing4j.internal.wire.proto.Bootstrap;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.EnvironmentVariable;
import org.multiprocessing4j.internal.wire.proto.LaunchSettings;
import org.multiprocessing4j.internal.wire.proto.Output;
import org.multiprocessing4j.internal.wire.proto.StandbyReady;
import org.multiprocessing4j.internal.wire.proto.StartFailed;
import org.multiprocessing4j.internal.wire.proto.Started;

/**
 * The main class of every child JVM; never the user's {@code main}, so no
 * {@code if __name__ == "__main__"} guard is needed.
 *
 * <p>The child's stdin and stdout form its control link to the parent: the first frame on
 * stdin is the {@link Bootstrap}; stdin then stays open as a lifeline, and its end of file
 * means the parent is gone. {@code System.out} and {@code System.err} become frames on stdout,
 * and {@code System.in} reads nothing (the link is not the user's to read).
 */
public final class ChildMain {
    /** Exit code of a child whose parent went away; nobody reads it. */
    private static final int PARENT_GONE_EXIT = 1;
    private static final long PARENT_GONE_HALT_MILLIS = 500;
    /** How long an exiting child waits for its last frames (output, replies) to be written. */
    private static final java.time.Duration EXIT_DRAIN = java.time.Duration.ofSeconds(5);
    /** The system property that carries the context's maximum frame size, for the bootstrap frame. */
    static final String MAX_FRAME_PROPERTY = "multiprocessing4j.maxFrameSize";
    /** A standby runs the start path this often: after the first, classes are loaded and linked, and the rest get the code used more often. */
    private static final int STANDBY_WARMUP_ROUNDS = 3;

    private ChildMain() {
    }

    /**
     * Runs the target described by the bootstrap frame on stdin, then exits with Python's exit
     * code: 0, or 1 after an uncaught exception.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        PrintStream rawErr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        OutputStream linkOut;
        FileChannel stdinChannel;
        try {
            linkOut = LinkDescriptor.open();
            stdinChannel = LinkDescriptor.openIn();
        } catch (FileNotFoundException e) {
            rawErr.println("multiprocessing4j: this JVM cannot open its link to the parent: " + e.getMessage());
            System.exit(1);
            return;
        }
        ControlLink link = new ControlLink(new BufferedOutputStream(linkOut, 1 << 16), "link to parent",
                Integer.getInteger(MAX_FRAME_PROPERTY, WireConstants.DEFAULT_MAX_FRAME_SIZE));
        // The parent passes its own encodings (stdout.encoding, stderr.encoding) on the command line.
        System.setOut(new PrintStream(new OutputFrameStream(link, Output.Stream.STDOUT), true,
                charset("stdout.encoding")));
        System.setErr(new PrintStream(new OutputFrameStream(link, Output.Stream.STDERR), true,
                charset("stderr.encoding")));
        // Read through a channel: closing it at exit wakes the reading thread (see ProcessRuntime).
        InputStream stdin = new BufferedInputStream(Channels.newInputStream(stdinChannel), 1 << 16);
        System.setIn(InputStream.nullInputStream());
        boolean standby = Boolean.getBoolean(ChildLauncher.STANDBY_PROPERTY);
        if (standby) {
            standBy(link);
        }

        Envelope first;
        try {
            first = new FrameReader(stdin, Integer.getInteger(MAX_FRAME_PROPERTY, WireConstants.DEFAULT_MAX_FRAME_SIZE),
                    "stdin of a child JVM").read();
        } catch (IOException | WireException e) {
            rawErr.println("multiprocessing4j: this JVM expected a bootstrap frame on stdin: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (first == null && standby) {
            System.exit(0); // sent away unused, or the parent is gone: nobody is told
            return;
        }
        if (first == null || !first.hasBootstrap()) {
            rawErr.println("multiprocessing4j: " + ChildMain.class.getName()
                    + " is started by org.multiprocessing4j.Process, not by hand: no bootstrap frame on stdin");
            System.exit(1);
            return;
        }
        Bootstrap boot = first.getBootstrap();
        Process process;
        ProcessRuntime rt;
        try {
            if (boot.getProtocolVersion() != WireConstants.PROTOCOL_VERSION) {
                throw new IllegalStateException("the parent speaks protocol " + boot.getProtocolVersion()
                        + ", this child's multiprocessing4j speaks " + WireConstants.PROTOCOL_VERSION
                        + ": use one version of the library on both class paths");
            }
            Codec codec = decodeCodec(boot.getCodec().toByteArray());
            Context context = context(boot, codec);
            rt = ProcessRuntime.installChild(boot.getName(), boot.getAddress(), boot.getDaemon(),
                    boot.getAuthkey().toByteArray(), context,
                    new ProcessRuntime.ParentInfo(boot.getParentName(), boot.getParentAddress(), boot.getParentPid(),
                            boot.getParentElsewhere()),
                    new ProcessRuntime.RootInfo(boot.getRootPid(), boot.getRootStartTime()),
                    link);
            if (!boot.getProcessAuthkey().isEmpty()) {
                rt.setProcessAuthkey(boot.getProcessAuthkey().toByteArray());
            }
            process = target(boot, codec);
            rt.setSelf(process);
            rt.addFinalAction(drainAction(link));
            rt.addFinalAction(closeAction(stdinChannel));
        } catch (RuntimeException | LinkageError e) {
            String message = "cannot prepare the target in the child JVM: " + e;
            try {
                link.send(Envelope.newBuilder()
                        .setStartFailed(StartFailed.newBuilder().setMessage(message)).build());
                link.drain(EXIT_DRAIN);
            } catch (IOException parentGone) {
                rawErr.println("multiprocessing4j: " + message);
            }
            System.exit(1);
            return;
        }

        FrameReader reader = new FrameReader(stdin, boot.getMaxFrameSize(), "link from parent");
        Thread.ofPlatform().daemon().name("multiprocessing4j-lifeline")
                .start(lifeline(reader, rt, boot.getExitWithParent()));

        try {
            link.send(Envelope.newBuilder()
                    .setStarted(Started.newBuilder().setPid(ProcessHandle.current().pid())).build());
        } catch (IOException parentGone) {
            System.exit(PARENT_GONE_EXIT);
        }
        // Started must be in the pipe before the target runs: a target that halts the JVM at
        // once (Runtime.halt, a crash) would otherwise end it with the frame still queued, and
        // the parent's start() would say the target never ran. The parent waits for this frame
        // anyway, so start() returns no later for it.
        link.drain(EXIT_DRAIN);
        System.exit(run(process));
    }

    /**
     * A standby JVM runs the start path on made-up data, so that its real bootstrap finds it
     * warm, and tells the parent it is ready.
     */
    private static void standBy(ControlLink link) {
        try {
            for (int i = 0; i < STANDBY_WARMUP_ROUNDS; i++) {
                ChildWarmup.run();
            }
        } catch (Exception | LinkageError e) {
            // Only an optimisation: the real start reports whatever is really wrong.
        }
        try {
            link.send(Envelope.newBuilder().setStandbyReady(StandbyReady.getDefaultInstance()).build());
        } catch (IOException parentGone) {
            System.exit(0);
        }
    }

    // The tasks a child sets up after its bootstrap, made here so that a standby's warm-up
    // (ChildWarmup) links these call sites before the bootstrap comes: linking one costs a
    // millisecond or more.

    static Runnable drainAction(ControlLink link) {
        return () -> link.drain(EXIT_DRAIN);
    }

    static Runnable closeAction(FileChannel stdinChannel) {
        return () -> closeQuietly(stdinChannel);
    }

    static Runnable lifeline(FrameReader reader, ProcessRuntime rt, boolean exitWithParent) {
        return () -> readFromParent(reader, rt, exitWithParent);
    }

    private static int run(Process process) {
        int code = 0;
        try {
            process.run();
        } catch (Throwable t) {
            System.err.println("Process " + process.name() + ":");
            t.printStackTrace();
            code = 1;
        }
        joinNonDaemonThreads();
        System.out.flush();
        System.err.flush();
        return code;
    }

    /** As Python 3.7+ does, the process ends when the target and its non-daemon threads have. */
    private static void joinNonDaemonThreads() {
        Thread self = Thread.currentThread();
        while (true) {
            Thread other = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t != self && !t.isDaemon() && t.isAlive())
                    .findFirst().orElse(null);
            if (other == null) {
                return;
            }
            try {
                other.join();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void readFromParent(FrameReader reader, ProcessRuntime rt, boolean exitWithParent) {
        ControlLink.markLinkReader();
        try {
            Envelope e;
            while ((e = reader.read()) != null) {
                try {
                    rt.router().onFrame(e, null);
                } catch (RuntimeException failure) {
                    System.err.println("multiprocessing4j: dropped a frame from the parent: " + failure);
                }
            }
        } catch (AsynchronousCloseException closedByUs) {
            return; // this JVM closed the link last thing at exit
        } catch (IOException | WireException e) {
            // a broken or garbled link is a gone parent
        }
        rt.markParentGone();
        rt.router().parentGone();
        if (exitWithParent) {
            exitBecauseParentIsGone(rt);
        }
    }

    /**
     * Exits, running shutdown hooks (they terminate this process's own children), but halts if
     * they take longer than half a second: the parent is gone and nobody waits for an orderly end.
     */
    private static void exitBecauseParentIsGone(ProcessRuntime rt) {
        Thread.ofPlatform().daemon().name("multiprocessing4j-halt").start(() -> {
            try {
                Thread.sleep(PARENT_GONE_HALT_MILLIS);
            } catch (InterruptedException ignored) {
                // halt now
            }
            Runtime.getRuntime().halt(PARENT_GONE_EXIT);
        });
        if (rt.isExiting()) {
            // Already exiting (joining children, say): System.exit would wait for that forever.
            rt.terminateChildren();
            return;
        }
        System.exit(PARENT_GONE_EXIT);
    }

    /**
     * {@return the process the bootstrap's target describes: a whole {@link Process}, or one
     * made here around a target that travelled alone ({@link TargetOnly})}
     *
     * @throws IllegalStateException if the target decodes to something else
     */
    static Process target(Bootstrap boot, Codec codec) {
        Object decoded = codec.decode(boot.getTarget().toByteArray());
        if (boot.getTargetOnly()) {
            if (decoded instanceof ProcessTarget t) {
                return TargetOnly.make(t, boot.getName(), boot.getAddress(), boot.getDaemon());
            }
        } else if (decoded instanceof Process p) {
            return p;
        }
        throw new IllegalStateException("the bootstrap target is a "
                + (decoded == null ? "null" : decoded.getClass().getName()) + ", not a "
                + (boot.getTargetOnly() ? "ProcessTarget" : "Process"));
    }

    /** {@return the context the bootstrap describes, for this child's own children} */
    static Context context(Bootstrap boot, Codec codec) {
        return Context.builder()
                .javaExecutable(Path.of(boot.getLaunch().getJavaExecutable()))
                .classPath(boot.getLaunch().getClassPath())
                .jvmOptions(boot.getLaunch().getJvmOptionsList())
                .environment(environment(boot.getLaunch()))
                .codec(codec)
                .exitWithParent(boot.getExitWithParent())
                .maxFrameSize(boot.getMaxFrameSize())
                .transport(boot.getTransport().isEmpty() ? null : boot.getTransport())
                .aotCache(boot.getLaunch().getAotCache())
                .cacheDirectory(boot.getLaunch().getCacheDirectory().isEmpty() ? null
                        : Path.of(boot.getLaunch().getCacheDirectory()))
                .standby(boot.getLaunch().getStandby())
                .build();
    }

    private static Map<String, String> environment(LaunchSettings launch) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (EnvironmentVariable v : launch.getEnvironmentList()) {
            variables.put(v.getName(), v.getValue());
        }
        return variables;
    }

    private static java.nio.charset.Charset charset(String property) {
        try {
            String name = System.getProperty(property);
            return name == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // exiting anyway
        }
    }

    static Codec decodeCodec(byte[] bytes) {
        if (bytes.length == 0) {
            return new DefaultCodec(); // see ChildLauncher.serializeCodec
        }
        ObjectInputFilter filter = ObjectInputFilter.allowFilter(ChildMain::trustedCodecClass,
                ObjectInputFilter.Status.REJECTED);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(filter);
            return (Codec) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalStateException("cannot decode the parent's codec: " + e, e);
        }
    }

    /** The codec comes from the parent over a private pipe; still, only plausible classes load. */
    private static boolean trustedCodecClass(Class<?> c) {
        Class<?> base = c;
        while (base.isArray()) {
            base = base.getComponentType();
        }
        return base.isPrimitive() || base.getModule() == Object.class.getModule()
                || base.getClassLoader() == ClassLoader.getSystemClassLoader();
    }
}
