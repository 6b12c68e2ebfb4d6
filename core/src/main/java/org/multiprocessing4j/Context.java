package org.multiprocessing4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.wire.WireConstants;

/**
 * How processes are started and how values cross between them: the java binary and options
 * of child JVMs (Python's {@code set_executable}), their environment, the {@link Codec}, and
 * whether a child dies with its parent. Immutable; {@link #toBuilder()} makes a changed copy.
 *
 * <p>A child process inherits its parent's context, so grandchildren start the same way.
 *
 * @since 0.1
 */
public final class Context {
    /** Standby JVMs kept ready when nothing says otherwise. */
    public static final int DEFAULT_STANDBY = 0;
    /** The most standby JVMs a context may ask for. */
    public static final int MAX_STANDBY = 64;
    /**
     * JVM options for children that live a short time ({@link Builder#shortLived()}): only the
     * C1 compiler, with one compiler thread (a short-lived JVM spends much of its CPU compiling
     * code it will not run long enough to profit from), the serial collector, and no perf-data
     * file. They cut a child's CPU at start by about a quarter; a long computation runs slower.
     */
    public static final List<String> SHORT_LIVED_JVM_OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");
    private static final String AOT_CACHE_PROPERTY = "multiprocessing4j.aotCache";
    private static final String CACHE_DIR_PROPERTY = "multiprocessing4j.cacheDir";
    private static final String JARS_FIRST_PROPERTY = "multiprocessing4j.jarsFirst";
    private static final String STANDBY_PROPERTY = "multiprocessing4j.standby";
    private final Path javaExecutable;
    private final String classPath;
    private final List<String> jvmOptions;
    private final Map<String, String> environment;
    private final Codec codec;
    private final boolean exitWithParent;
    private final int maxFrameSize;
    private final @Nullable String transport;
    private final boolean aotCache;
    private final @Nullable Path cacheDirectory;
    private final int standby;
    private final @Nullable String host;

    private Context(Builder b) {
        this.javaExecutable = b.javaExecutable;
        this.classPath = b.classPath;
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.environment = Map.copyOf(b.environment);
        this.codec = b.codec;
        org.multiprocessing4j.internal.CodecUse.note(codec);
        this.exitWithParent = b.exitWithParent;
        this.maxFrameSize = b.maxFrameSize;
        this.transport = b.transport;
        this.aotCache = b.aotCache;
        this.cacheDirectory = b.cacheDirectory;
        this.standby = b.standby;
        this.host = b.host;
    }

    /**
     * A builder with this JVM's own java binary and class path, no extra options, the
     * {@link DefaultCodec}, and children that exit with their parent.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a builder that starts from this context's settings}
     */
    public Builder toBuilder() {
        return new Builder()
                .javaExecutable(javaExecutable)
                .classPath(classPath)
                .jvmOptions(jvmOptions)
                .environment(environment)
                .codec(codec)
                .exitWithParent(exitWithParent)
                .maxFrameSize(maxFrameSize)
                .transport(transport)
                .aotCache(aotCache)
                .cacheDirectory(cacheDirectory)
                .standby(standby)
                .host(host);
    }

    /**
     * Creates a process of this context: Python's {@code ctx.Process(target=...)}.
     *
     * @param target what the child runs
     * @return a new, unstarted process
     */
    public Process process(ProcessTarget target) {
        return new Process(this, target);
    }

    /** {@return the java binary that child JVMs run} */
    public Path javaExecutable() {
        return javaExecutable;
    }

    /** {@return the class path of child JVMs} */
    public String classPath() {
        return classPath;
    }

    /**
     * {@return {@code classPath} with its jars before its other entries (directories), each
     * group in its order} A child gets an AOT cache of the jars at the head of its class path,
     * up to the first entry that is not a jar, so a class path that begins with a directory (a
     * build's {@code target/classes}, as in tests) gets none; reordered, it gets all its jars
     * cached. Only where no directory holds a class that one of the jars holds too does the
     * order change nothing else. With the system property {@code multiprocessing4j.jarsFirst}
     * set to {@code true}, a context's default class path is this JVM's, so reordered.
     *
     * @param classPath entries separated by {@link java.io.File#pathSeparator}
     */
    public static String jarsFirst(String classPath) {
        List<String> jars = new java.util.ArrayList<>();
        List<String> others = new java.util.ArrayList<>();
        for (String entry : classPath.split(java.io.File.pathSeparator, -1)) {
            if (!entry.isEmpty()) {
                (entry.endsWith(".jar") ? jars : others).add(entry);
            }
        }
        jars.addAll(others);
        return String.join(java.io.File.pathSeparator, jars);
    }

    /** {@return extra options for child JVMs, placed before the bootstrap class} */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** {@return environment variables set for child JVMs, on top of the parent's environment} */
    public Map<String, String> environment() {
        return environment;
    }

    /** {@return the codec that carries targets and values between processes} */
    public Codec codec() {
        return codec;
    }

    /** {@return true when a child exits as soon as its parent is gone (the default)} */
    public boolean exitWithParent() {
        return exitWithParent;
    }

    /** {@return the largest frame accepted on a link, in bytes} */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * {@return the name of the transport this context was bound to by {@link
     * Multiprocessing#getContext(String)}, or null when it is chosen by the selection rules (the
     * system property {@code multiprocessing4j.transport}, then priority)}
     */
    public @Nullable String transport() {
        return transport;
    }

    /**
     * {@return whether child JVMs start with an AOT cache of the library's classes, made
     * automatically in the {@link #cacheDirectory()} (see {@link Builder#aotCache(boolean)})}
     */
    public boolean aotCache() {
        return aotCache;
    }

    /** {@return where the AOT cache of child JVMs is kept, or null for nowhere (no cache)} */
    public @Nullable Path cacheDirectory() {
        return cacheDirectory;
    }

    /** {@return how many standby child JVMs are kept ready (see {@link Builder#standby(int)})} */
    public int standby() {
        return standby;
    }

    /**
     * {@return the host children are placed on, or null for the transport's choice (see {@link
     * Builder#host(String)})}
     */
    public @Nullable String host() {
        return host;
    }

    @Override
    public String toString() {
        return "Context[transport=" + (transport == null ? "(selected when needed)" : transport)
                + ", java=" + javaExecutable + ", jvmOptions=" + jvmOptions
                + ", environment=" + environment.keySet() + ", codec=" + codec.getClass().getName()
                + ", exitWithParent=" + exitWithParent + ", maxFrameSize=" + maxFrameSize
                + ", aotCache=" + aotCache + ", cacheDirectory=" + cacheDirectory + ", standby=" + standby
                + (host == null ? "" : ", host=" + host) + "]";
    }

    /**
     * Builds a {@link Context}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
        private String classPath = Boolean.getBoolean(JARS_FIRST_PROPERTY)
                ? jarsFirst(System.getProperty("java.class.path", "")) : System.getProperty("java.class.path", "");
        private List<String> jvmOptions = List.of();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Codec codec = new DefaultCodec();
        private boolean exitWithParent = true;
        private int maxFrameSize = WireConstants.DEFAULT_MAX_FRAME_SIZE;
        private @Nullable String transport;
        private boolean aotCache = !"false".equalsIgnoreCase(System.getProperty(AOT_CACHE_PROPERTY));
        private @Nullable Path cacheDirectory = defaultCacheDirectory();
        private int standby;
        private @Nullable String host;

        private Builder() {
            standby(defaultStandby());
        }

        /**
         * Binds the context to a transport by name, unchecked here (a process started with the
         * context fails its {@code start()} if the class path has no such transport); prefer
         * {@link Multiprocessing#getContext(String)}, which checks that it exists and works.
         *
         * @param name a transport provider's name, or null for the selection rules
         * @return this builder
         */
        public Builder transport(@Nullable String name) {
            this.transport = name;
            return this;
        }

        /**
         * The java binary of child JVMs (Python's {@code set_executable}); it must be a JDK 25 or
         * newer. Checked here for existence, so that a typo fails now rather than at start.
         *
         * @param java path of the {@code java} launcher
         * @return this builder
         * @throws IllegalArgumentException if the file does not exist or is not executable
         */
        public Builder javaExecutable(Path java) {
            Objects.requireNonNull(java, "java");
            if (!Files.isExecutable(java)) {
                throw new IllegalArgumentException("javaExecutable " + java + " is not an executable file");
            }
            this.javaExecutable = java;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param classPath the class path of child JVMs; by default this JVM's, with its jars
         *                  first when the system property {@code multiprocessing4j.jarsFirst} is
         *                  {@code true} (see {@link Context#jarsFirst})
         */
        public Builder classPath(String classPath) {
            this.classPath = Objects.requireNonNull(classPath, "classPath");
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param options JVM options for children, such as {@code -Xmx256m}; replaces earlier ones
         */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param options JVM options for children; replaces earlier ones
         */
        public Builder jvmOptions(String... options) {
            return jvmOptions(List.of(options));
        }

        /**
         * Adds {@link Context#SHORT_LIVED_JVM_OPTIONS} to the JVM options: for children that do
         * little and end soon (a pool of quick tasks, a script's helpers), not for long
         * computations, which the C2 compiler makes faster.
         *
         * @return this builder
         */
        public Builder shortLived() {
            List<String> options = new java.util.ArrayList<>(jvmOptions);
            options.addAll(SHORT_LIVED_JVM_OPTIONS);
            return jvmOptions(options);
        }

        /**
         * {@return this builder}
         *
         * @param variables environment variables to set in children; replaces earlier ones
         */
        public Builder environment(Map<String, String> variables) {
            environment.clear();
            environment.putAll(variables);
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param codec the codec for targets and values
         */
        public Builder codec(Codec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Whether a child exits when its parent is gone, even when the parent was killed
         * with SIGKILL. Switching this off lets children outlive their parent: their output
         * is then lost, and nobody joins them. A parent sent SIGTERM leaves such children
         * running (it terminates the others); at its normal exit it still terminates its
         * daemon children and joins the others, as Python does. A tree's shared-memory
         * segments are removed when its root exits: a child that outlives the root keeps
         * what it has mapped, but cannot open them by name any more.
         *
         * @param exit true (the default) to exit with the parent
         * @return this builder
         */
        public Builder exitWithParent(boolean exit) {
            this.exitWithParent = exit;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param bytes the largest frame accepted on a link; at least 1 KiB
         * @throws IllegalArgumentException if smaller than 1 KiB
         */
        public Builder maxFrameSize(int bytes) {
            if (bytes < WireConstants.MIN_MAX_FRAME_SIZE) {
                throw new IllegalArgumentException("maxFrameSize must be at least "
                        + WireConstants.MIN_MAX_FRAME_SIZE + " bytes, was " + bytes);
            }
            this.maxFrameSize = bytes;
            return this;
        }

        /**
         * Whether child JVMs use an AOT cache (JEP 483) of the library's classes: the first
         * start with a new JDK or new jars creates it in the background, in the
         * {@link #cacheDirectory(Path) cache directory}, and later starts use it. A cache needs
         * the class path to begin with jars: the leading jars are cached, whatever follows them
         * is not (put directories of classes after the jars). On by default; the system property
         * {@code multiprocessing4j.aotCache=false} switches the default off.
         *
         * @param enabled false to start child JVMs without an AOT cache
         * @return this builder
         */
        public Builder aotCache(boolean enabled) {
            this.aotCache = enabled;
            return this;
        }

        /**
         * Where the AOT cache is kept: by default the system property
         * {@code multiprocessing4j.cacheDir}, else {@code $XDG_CACHE_HOME/multiprocessing4j}, else
         * {@code ~/.cache/multiprocessing4j}. A directory that others may write to is not used.
         *
         * @param directory the cache directory, or null for no cache at all
         * @return this builder
         */
        public Builder cacheDirectory(@Nullable Path directory) {
            this.cacheDirectory = directory == null ? null : directory.toAbsolutePath();
            return this;
        }

        /**
         * Warm start, Python's forkserver in spirit: keeps {@code count} child JVMs started and
         * waiting, so that {@link Process#start()} hands the target to one that is ready instead
         * of booting a JVM, and a replacement starts in the background. Standby JVMs begin when
         * the first process of this context starts, exit with their parent, and are not
         * children until they get a target (never in {@code activeChildren()}). Children
         * inherit the context, so a child that itself starts processes keeps {@code count}
         * standbys of its own, as each Python process that uses forkserver has its own server:
         * give children a context with {@code standby(0)} where a tree would multiply them. The default,
         * {@value Context#DEFAULT_STANDBY}, can be set with the system property
         * {@code multiprocessing4j.standby}.
         *
         * @param count standby JVMs to keep ready; 0 starts every child cold
         * @return this builder
         * @throws IllegalArgumentException if negative or above {@value Context#MAX_STANDBY}
         */
        public Builder standby(int count) {
            if (count < 0 || count > MAX_STANDBY) {
                throw new IllegalArgumentException("standby must be between 0 and " + MAX_STANDBY + ", was " + count);
            }
            this.standby = count;
            return this;
        }

        /**
         * The host to start children on, for a transport that places children on other hosts
         * (the {@code hazelcast} transport starts them on its agents: a host name, an address,
         * or an agent's {@code host:port}). A transport that starts every child on this machine
         * refuses to start a child of a context that names a host, rather than ignore it.
         *
         * @param name the host, or null (the default) to let the transport choose
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder host(@Nullable String name) {
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException("a host must be named, or null for the transport's choice; was blank");
            }
            this.host = name == null ? null : name.strip();
            return this;
        }

        private static int defaultStandby() {
            String configured = System.getProperty(STANDBY_PROPERTY);
            try {
                return configured == null ? DEFAULT_STANDBY : Integer.parseInt(configured.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the system property " + STANDBY_PROPERTY
                        + " must be a number of standby JVMs, was '" + configured + "'", e);
            }
        }

        private static @Nullable Path defaultCacheDirectory() {
            String configured = System.getProperty(CACHE_DIR_PROPERTY);
            if (configured != null) {
                return configured.isEmpty() ? null : Path.of(configured).toAbsolutePath();
            }
            String xdg = System.getenv("XDG_CACHE_HOME");
            if (xdg != null && Path.of(xdg).isAbsolute()) {
                return Path.of(xdg, "multiprocessing4j");
            }
            String home = System.getProperty("user.home", "");
            return home.isEmpty() || !Path.of(home).isAbsolute() ? null : Path.of(home, ".cache", "multiprocessing4j");
        }

        /** {@return the context} */
        public Context build() {
            return new Context(this);
        }
    }
}
