package org.multiprocessing4j.internal.aot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.internal.ChildLauncher;

/**
 * The AOT cache of this process's child JVMs: the options that make a child use it, and, when
 * it does not exist yet, a background JVM ({@link AotCacheCreator}) that makes it. The start
 * that finds no cache goes on without one; it is never slowed down or failed by the cache.
 *
 * <p>The creator runs on its own, at low priority, and outlives this process if it must: a
 * short program (a 2-second example) would otherwise never see its cache made. It ends by
 * itself within {@link AotCacheCreator#TRAINING_LIMIT}. One creator is launched per cache and
 * per process at most. Thread-safe.
 */
public final class AotCache {
    /**
     * Keeps the child JVM quiet about a cache it cannot use (stale, corrupt, made with other
     * options): children's stderr reaches the user, and such a cache is only ignored.
     */
    static final String QUIET = "-Xlog:aot*=off,cds*=off:stderr";
    private static final Path NICE = Path.of("/usr/bin/nice");

    /** Plans by the context's launch settings: computing one opens jars. */
    private final Map<List<Object>, Optional<AotPlan>> plans = new HashMap<>();
    private final Set<String> launched = new HashSet<>();
    private final List<java.lang.Process> creators = new ArrayList<>();

    /** No cache planned or made yet. */
    public AotCache() {
    }

    /**
     * The JVM options that make a child of {@code context} use the AOT cache: none when the
     * context has no cache, and none yet when the cache is still to be made (which this call
     * then starts in the background).
     *
     * @param context the child's context
     * @return options for the child's command line, possibly empty
     */
    public List<String> jvmOptions(Context context) {
        Path directory = context.cacheDirectory();
        if (!context.aotCache() || directory == null) {
            return List.of();
        }
        List<String> options = ChildLauncher.jvmOptions(context);
        AotPlan plan = plan(directory, context.javaExecutable(), options, context.classPath());
        if (plan == null || !usableDirectory(directory)) {
            return List.of();
        }
        if (Files.isRegularFile(plan.cacheFile())) {
            return List.of("-XX:AOTCache=" + plan.cacheFile(), QUIET);
        }
        if (!Files.exists(plan.failedFile())) {
            startCreator(plan, context);
        }
        return List.of();
    }

    private synchronized AotPlan plan(Path directory, Path java, List<String> options, String classPath) {
        return plans.computeIfAbsent(List.of(directory, java, options, classPath),
                k -> Optional.ofNullable(AotPlan.of(directory, java, options, classPath))).orElse(null);
    }

    private synchronized void startCreator(AotPlan plan, Context context) {
        if (!launched.add(plan.key())) {
            return;
        }
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(NICE)) {
            cmd.addAll(List.of(NICE.toString(), "-n", "10"));
        }
        cmd.addAll(List.of(plan.java().toString(), "-XX:TieredStopAtLevel=1", "-cp", plan.classPath(),
                AotCacheCreator.class.getName(), plan.directory().toString(), plan.key(), plan.java().toString(),
                plan.classPath()));
        cmd.addAll(plan.jvmOptions());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(context.environment());
        try {
            java.lang.Process creator = pb.start();
            creator.getOutputStream().close();
            creators.add(creator);
        } catch (IOException e) {
            // no cache this time; not tried again in this process
        }
    }

    /**
     * Waits for the creators this process launched, for tests and benchmarks.
     *
     * @param timeout how long to wait at most
     * @return true if none is running any more
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitCreators(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<java.lang.Process> running;
        synchronized (this) {
            running = List.copyOf(creators);
        }
        for (java.lang.Process p : running) {
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A cache directory is used only when nobody else may write to it: a cache decides which
     * classes a JVM runs. One that does not exist yet is made private by the creator.
     */
    static boolean usableDirectory(Path directory) {
        if (!Files.exists(directory)) {
            return true;
        }
        try {
            if (!Files.isDirectory(directory)
                    || !Files.getOwner(directory).getName().equals(System.getProperty("user.name"))) {
                return false;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(directory);
            return !perms.contains(PosixFilePermission.GROUP_WRITE) && !perms.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException notPosix) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
