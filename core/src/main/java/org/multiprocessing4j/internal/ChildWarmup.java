package org.multiprocessing4j.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.ProcessTarget;
import org.multiprocessing4j.internal.broker.BrokerQueue;
import org.multiprocessing4j.internal.broker.RemoteRef;
import org.multiprocessing4j.internal.broker.Router;
import org.multiprocessing4j.internal.pool.WorkerLoop;
import org.multiprocessing4j.internal.wire.FrameReader;
import org.multiprocessing4j.internal.wire.Frames;
import org.multiprocessing4j.internal.wire.WireConstants;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.Output;
import org.multiprocessing4j.internal.wire.proto.Started;
import org.multiprocessing4j.spi.QueueBackend;

/**
 * Runs, on made-up data, what a child does between the first byte of its bootstrap and its
 * target: frames written and read, the codec and a lambda target decoded, the context rebuilt,
 * output framed. A standby JVM runs it before it waits, so that its real bootstrap finds every
 * class loaded and every call site linked; the AOT cache's training run is made of it. It has
 * no effect beyond that: no runtime is installed and nothing reaches the real link.
 */
public final class ChildWarmup {
    /** The made-up target: a serializable lambda, as most targets are. */
    private static final ProcessTarget TARGET = () -> { };
    /** Classes the start uses after the bootstrap is decoded; initializing them has no effect. */
    private static final List<String> NEXT_CLASSES = List.of(ProcessRuntime.class.getName(),
            ProcessRuntime.ParentInfo.class.getName(), Router.class.getName(), StandbyPool.class.getName(),
            org.multiprocessing4j.internal.aot.AotCache.class.getName(), ChildProcessHandle.class.getName(),
            org.multiprocessing4j.Process.class.getName(), "org.multiprocessing4j.Process$Role",
            TerminationSignal.class.getName(),
            // Opened first of all by a child: not in the cache, it cost a look into the library's jar.
            LinkDescriptor.class.getName());

    private ChildWarmup() {
    }

    /**
     * Runs the child's start path once on made-up data.
     *
     * @throws IOException if a frame cannot be written or read back (a bug: nothing here does I/O)
     * @throws ClassNotFoundException if a class of the start path is missing
     */
    public static void run() throws IOException, ClassNotFoundException {
        Context context = Context.builder().aotCache(false).cacheDirectory(null).standby(0).build();
        // A plain Process's target travels alone (TargetOnly), on the codec's lambda path.
        byte[] target = context.codec().encode(TARGET);
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        Frames.write(frames, Envelope.newBuilder()
                .setBootstrap(ChildLauncher.bootstrap("Process-0", "0", false, target, context).setTargetOnly(true))
                .build());
        Frames.write(frames, Envelope.newBuilder().setStarted(Started.newBuilder().setPid(1)).build());
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frames.toByteArray()),
                WireConstants.DEFAULT_MAX_FRAME_SIZE, "warm-up frames");
        Envelope first = reader.read();
        if (first == null || reader.read() == null) {
            throw new IOException("the warm-up frames did not read back");
        }
        Codec codec = ChildMain.decodeCodec(first.getBootstrap().getCodec().toByteArray());
        ChildMain.context(first.getBootstrap(), codec);
        try {
            ChildMain.target(first.getBootstrap(), codec).run();
        } catch (Exception e) {
            throw new IllegalStateException("the warm-up target failed", e);
        }
        ProcessHandle.current().pid();
        Thread thread = Thread.ofPlatform().daemon().name("multiprocessing4j-warm-up").start(() -> { });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ControlLink link = new ControlLink(OutputStream.nullOutputStream(), "warm-up link", 0);
        try (PrintStream out = new PrintStream(new OutputFrameStream(link, Output.Stream.STDOUT), true,
                StandardCharsets.UTF_8)) {
            out.println("warm-up");
        } finally {
            link.close();
        }
        // The call sites and JDK parts of what follows a real bootstrap (see ChildMain.lifeline):
        // the tasks are made with placeholders and never run.
        ChildMain.drainAction(link);
        ChildMain.closeAction(null);
        ChildMain.lifeline(reader, null, true);
        Thread hook = ProcessRuntime.exitHook(null);
        Runtime.getRuntime().addShutdownHook(hook);
        Runtime.getRuntime().removeShutdownHook(hook);
        for (String c : NEXT_CLASSES) {
            Class.forName(c, true, ChildWarmup.class.getClassLoader());
        }
        // A Process subclass travels whole: its serial form is worked out once per JVM, here.
        ObjectStreamClass.lookup(org.multiprocessing4j.Process.class);
        exitLogger();
    }

    /**
     * Looks up the logger that {@code System.exit} asks whether to log the exit (it does since
     * JDK 21, at debug level): the first look-up in a JVM searches the class path for a
     * {@code System.LoggerFinder} provider. In a child it cost 1–3 ms at exit (in a JVM that
     * had not started {@code java.util.logging} yet, 50–60 ms with the benchmarks' class path:
     * it opens every jar); done here, a standby has it behind it when its target ends.
     */
    static void exitLogger() {
        System.getLogger("java.lang.Runtime").isLoggable(System.Logger.Level.DEBUG);
    }

    /**
     * For the AOT cache's training JVM only, never a real child: makes this JVM a child whose
     * link to its parent writes nowhere, puts {@code items} items to a queue of the parent the
     * way a producer does (encode, post, batch, write), then runs {@code workerMessages}
     * messages through a pool worker's path ({@link WorkerLoop#train}), its answers posted to
     * another queue of the parent. The cache then holds the profiles of both paths (JEP 515),
     * and a child's first puts, or a new worker's first tasks, run compiled code sooner:
     * interpreted, a fresh producer's first 20,000 puts took about 90 ms, nearly half of a
     * 200,000-item run.
     *
     * @param items          how many items to put
     * @param workerMessages how many tasks messages to run as a worker
     * @throws IllegalStateException if this JVM already has a process runtime
     */
    public static void trainChild(int items, int workerMessages) {
        Context context = Context.builder().aotCache(false).cacheDirectory(null).standby(0).build();
        ControlLink link = new ControlLink(OutputStream.nullOutputStream(), "training link to parent", 0);
        ProcessRuntime.installChild("Process-1", "1", false, new byte[32], context,
                new ProcessRuntime.ParentInfo("MainProcess", "", ProcessHandle.current().pid(), false),
                new ProcessRuntime.RootInfo(ProcessHandle.current().pid(), 0), link);
        // Queues the parent ("") made: its first and second objects.
        QueueBackend queue = new BrokerQueue(new RemoteRef("", 1), true);
        QueueBackend results = new BrokerQueue(new RemoteRef("", 2), true);
        Codec codec = context.codec();
        byte[] small = new byte[8];
        byte[] kib = new byte[1024];
        try {
            for (int i = 0; i < items; i++) {
                queue.put(codec.encode((i & 7) == 0 ? kib : small), -1);
            }
            WorkerLoop.train(workerMessages, codec, results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        link.drain(Duration.ofSeconds(10));
        link.close();
    }
}
