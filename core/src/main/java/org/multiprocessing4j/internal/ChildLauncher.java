package org.multiprocessing4j.internal;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.DefaultCodec;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.internal.aot.AotCache;
import org.multiprocessing4j.internal.wire.WireConstants;
import org.multiprocessing4j.internal.wire.proto.Bootstrap;
import org.multiprocessing4j.internal.wire.proto.EnvironmentVariable;
import org.multiprocessing4j.internal.wire.proto.LaunchSettings;
import org.multiprocessing4j.spi.JvmRequest;

/**
 * How a child JVM is started: its command line, and the bootstrap frame that makes it a given
 * process. Cold children and standby JVMs start with the same command; only a standby is told
 * that it may wait for its bootstrap (and may be sent away without one).
 */
public final class ChildLauncher {
    /** Options every child JVM gets: native access, and JVM output kept off the link. */
    private static final List<String> FIXED_JVM_OPTIONS = List.of(
            "--enable-native-access=ALL-UNNAMED",
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-XX:+DisplayVMOutputToStderr");
    /** The system property that tells a child JVM it is a standby. */
    static final String STANDBY_PROPERTY = "multiprocessing4j.standbyJvm";

    private ChildLauncher() {
    }

    /**
     * {@return the JVM options of its children that shape the JVM itself (an AOT cache must be
     * made with the same ones): the fixed ones, the transport's, then the context's}
     *
     * @param context the child's context
     */
    public static List<String> jvmOptions(Context context) {
        List<String> options = new ArrayList<>(FIXED_JVM_OPTIONS);
        options.addAll(ProcessRuntime.current().transportJvmOptions(context));
        options.addAll(context.jvmOptions());
        return options;
    }

    /**
     * {@return a process builder for a child JVM of that context, environment included}
     *
     * @param context how to start the JVM
     * @param standby true for a standby JVM, which waits for its bootstrap frame
     * @throws ProcessStartException if the context's java binary is gone
     */
    static ProcessBuilder processBuilder(Context context, boolean standby) {
        if (!java.nio.file.Files.isExecutable(context.javaExecutable())) {
            throw new ProcessStartException(context.javaExecutable() + " failed to run: it is not an executable file");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(context.javaExecutable().toString());
        cmd.addAll(options(context, standby, true));
        if (!context.classPath().isEmpty()) {
            cmd.add("-cp");
            cmd.add(context.classPath());
        }
        cmd.add(ChildMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(LinkDescriptor.launch(cmd));
        pb.environment().putAll(context.environment());
        return pb;
    }

    /**
     * {@return the child JVM of that context, for a transport's {@link
     * org.multiprocessing4j.spi.ChildPlacement} to start on another host}: the options a child
     * started here gets, but for what only holds on this machine (the AOT cache)
     *
     * @param name    the child's name
     * @param context how to start it
     */
    static JvmRequest request(String name, Context context) {
        return new JvmRequest(name, options(context, false, false), ChildMain.class.getName(), context.environment(),
                context.host());
    }

    /**
     * {@return the command that starts a placed child JVM on its host}, link descriptor
     * included, as {@link #processBuilder} would start it here
     *
     * @param java       that host's {@code java} binary
     * @param request    the child JVM
     * @param hostOptions options that host adds after the request's (its transport's settings)
     * @param classPath  that host's class path for it
     */
    public static List<String> placedCommand(java.nio.file.Path java, JvmRequest request, List<String> hostOptions,
                                             String classPath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(request.jvmOptions());
        cmd.addAll(hostOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(request.mainClass());
        return LinkDescriptor.launch(cmd);
    }

    private static List<String> options(Context context, boolean standby, boolean local) {
        List<String> options = new ArrayList<>(FIXED_JVM_OPTIONS);
        options.addAll(ProcessRuntime.current().transportJvmOptions(context));
        if (local) {
            options.addAll(ProcessRuntime.current().aotCache().jvmOptions(context));
        }
        options.add("-Dstdout.encoding=" + System.out.charset().name());
        options.add("-Dstderr.encoding=" + System.err.charset().name());
        options.add("-D" + ChildMain.MAX_FRAME_PROPERTY + "=" + context.maxFrameSize());
        if (standby) {
            options.add("-D" + STANDBY_PROPERTY + "=true");
        }
        options.addAll(context.jvmOptions());
        return options;
    }

    /**
     * The bootstrap frame of a child, without what only the parent's runtime knows (its
     * authkey, name, address and pid).
     *
     * @param name     the child's name
     * @param identity the child's identity
     * @param daemon   the child's daemon flag
     * @param target   the encoded {@link org.multiprocessing4j.Process} (or its target alone: the
     *                 caller sets {@code target_only})
     * @param context  the child's context
     * @return the frame, ready for the parent's fields
     */
    static Bootstrap.Builder bootstrap(String name, String identity, boolean daemon, byte[] target, Context context) {
        LaunchSettings.Builder launch = LaunchSettings.newBuilder()
                .setJavaExecutable(context.javaExecutable().toString())
                .addAllJvmOptions(context.jvmOptions())
                .setClassPath(context.classPath())
                .setAotCache(context.aotCache())
                .setCacheDirectory(context.cacheDirectory() == null ? "" : context.cacheDirectory().toString())
                .setStandby(context.standby());
        context.environment().forEach((variable, value) ->
                launch.addEnvironment(EnvironmentVariable.newBuilder().setName(variable).setValue(value)));
        return Bootstrap.newBuilder()
                .setProtocolVersion(WireConstants.PROTOCOL_VERSION)
                .setName(name)
                .setAddress(identity)
                .setDaemon(daemon)
                .setExitWithParent(context.exitWithParent())
                .setCodec(ByteString.copyFrom(serializeCodec(context)))
                .setTarget(ByteString.copyFrom(target))
                .setMaxFrameSize(context.maxFrameSize())
                .setTransport(childTransport(context))
                .setLaunch(launch);
    }

    /**
     * The transport the child selects: the context's, else the one this JVM's system property
     * names (a child JVM does not inherit the property, and would otherwise pick the provider
     * of highest priority, which may not be this process's), else none (the same choice by
     * priority as here).
     */
    private static String childTransport(Context context) {
        String named = context.transport() != null ? context.transport() : System.getProperty(TransportSelection.PROPERTY);
        return named == null ? "" : named;
    }

    /** The default codec travels as no bytes at all: Java serialization costs a child milliseconds. */
    private static byte[] serializeCodec(Context context) {
        if (context.codec() instanceof DefaultCodec d && d.filterPattern() == null) {
            return new byte[0];
        }
        var bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(context.codec());
        } catch (IOException e) {
            throw new ProcessStartException("the codec " + context.codec().getClass().getName()
                    + " cannot be serialized for the child: " + e, e);
        }
        return bytes.toByteArray();
    }
}
