package org.multiprocessing4j.internal.aot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The main class of the background JVM that makes an AOT cache. One creator at a time works in
 * a cache directory (a file lock; a second one finds it taken and leaves). It runs the training
 * JVM ({@link AotTraining}) with the children's options and {@code -XX:AOTCacheOutput} into a
 * temporary file, and renames that file into place atomically, so a reader sees no cache or a
 * whole one. When the training fails, its output is kept as {@code <key>.failed} and that cache
 * is not tried again. Only the {@value #KEPT_CACHES} most recently made caches are kept.
 *
 * <p>Arguments: the cache directory, the key, the java binary, the cache's class path, then
 * the children's JVM options.
 */
public final class AotCacheCreator {
    /** A training run that takes longer than this is killed and counts as failed. */
    static final Duration TRAINING_LIMIT = Duration.ofMinutes(5);
    static final int KEPT_CACHES = 8;
    private static final String LOCK_FILE = "creation.lock";

    private AotCacheCreator() {
    }

    /**
     * Makes the cache: the main class of the creator JVM.
     *
     * @param args the directory, key, java binary, class path and JVM options
     * @throws Exception if the cache directory cannot be used: no cache is made
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            throw new IllegalArgumentException("expected: directory key java classPath [jvmOptions...], got "
                    + Arrays.toString(args));
        }
        AotPlan plan = new AotPlan(Path.of(args[0]), args[1], Path.of(args[2]),
                List.of(Arrays.copyOfRange(args, 4, args.length)), List.of());
        create(plan, args[3]);
    }

    private static void create(AotPlan plan, String classPath) throws IOException, InterruptedException {
        Path dir = plan.directory();
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException | FileAlreadyExistsException notPosixOrThere) {
            Files.createDirectories(dir);
        }
        if (!AotCache.usableDirectory(dir)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null || Files.exists(plan.cacheFile()) || Files.exists(plan.failedFile())) {
                return; // another creator works here, or this cache is settled
            }
            Path temporary = dir.resolve(plan.key() + ".creating.aot");
            Path log = dir.resolve(plan.key() + ".log");
            try {
                if (train(plan, classPath, temporary, log)) {
                    Files.move(temporary, plan.cacheFile(), StandardCopyOption.ATOMIC_MOVE);
                    Files.deleteIfExists(log);
                    pruneOldCaches(dir);
                } else {
                    Files.move(log, plan.failedFile(), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
                // The JVM's own temporary file, should it be left behind.
                Files.deleteIfExists(dir.resolve(temporary.getFileName() + ".config"));
                Files.deleteIfExists(log);
            }
        }
    }

    private static boolean train(AotPlan plan, String classPath, Path output, Path log)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(plan.java().toString());
        cmd.addAll(plan.jvmOptions());
        cmd.add("-XX:AOTCacheOutput=" + output);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(AotTraining.class.getName());
        java.lang.Process training = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        training.getOutputStream().close();
        if (!training.waitFor(TRAINING_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            training.descendants().forEach(ProcessHandle::destroyForcibly);
            training.destroyForcibly();
            Files.writeString(log, "\nmultiprocessing4j: the training run took longer than " + TRAINING_LIMIT
                    + " and was killed\n", StandardOpenOption.APPEND);
            return false;
        }
        return training.exitValue() == 0 && Files.isRegularFile(output) && Files.size(output) > 0;
    }

    /** Keeps the most recently made caches; older ones belong to old jars or JDKs. */
    private static void pruneOldCaches(Path dir) throws IOException {
        List<Path> caches = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.aot")) {
            for (Path f : files) {
                if (f.getFileName().toString().matches("[0-9a-f]{32}\\.aot")) {
                    caches.add(f);
                }
            }
        }
        caches.sort(Comparator.comparing(AotCacheCreator::modified).reversed());
        for (Path old : caches.subList(Math.min(KEPT_CACHES, caches.size()), caches.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }
}
