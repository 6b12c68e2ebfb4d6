package org.multiprocessing4j.internal.aot;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * Which AOT cache a child JVM would use, and whether one can exist at all.
 *
 * <p>A cache is made with a class path of jars only (the JVM refuses directories), and used by
 * JVMs whose class path begins with that same class path: the JVM's documented rule. So the
 * cache covers the jars at the head of the child's class path, up to the first entry that is
 * not a jar; what follows is loaded as usual. It needs the library's own jar among them (the
 * training run's classes are there). The file name is a hash of everything that makes a cache
 * invalid: the JDK (its java binary, {@code release} file and module image), the JVM options,
 * and each cached jar's path, size and modification time. So a new JDK, new options or a
 * rebuilt jar gets a new cache, and the JVM still checks the one it is given.
 *
 * @param directory     the cache directory
 * @param key           the hash that names the cache
 * @param java          the child's java binary
 * @param jvmOptions    the child's JVM options (the training run uses the same)
 * @param jars          the class path of the cache: the child's leading jars
 */
record AotPlan(Path directory, String key, Path java, List<String> jvmOptions, List<Path> jars) {
    /** Changes when the cache's layout or the training changes. */
    private static final String FORMAT = "multiprocessing4j-aot-1";
    private static final String LIBRARY_CLASS = "org/multiprocessing4j/internal/ChildMain.class";

    /**
     * {@return the plan, or null when no cache can serve such a child}
     *
     * @param directory  where caches live
     * @param java       the child's java binary
     * @param jvmOptions the child's JVM options
     * @param classPath  the child's class path
     */
    static @Nullable AotPlan of(Path directory, Path java, List<String> jvmOptions, String classPath) {
        if (jvmOptions.stream().anyMatch(AotPlan::managesCds)) {
            return null; // the user runs CDS or AOT their own way
        }
        List<Path> jars = leadingJars(classPath);
        if (jars.stream().noneMatch(AotPlan::holdsLibrary)) {
            return null;
        }
        try {
            return new AotPlan(directory, key(java, jvmOptions, jars), java, jvmOptions, jars);
        } catch (IOException e) {
            return null; // a jar or the JDK vanished under us: no cache this time
        }
    }

    /** {@return the cache file} */
    Path cacheFile() {
        return directory.resolve(key + ".aot");
    }

    /** {@return the file left when making this cache failed: it is not tried again} */
    Path failedFile() {
        return directory.resolve(key + ".failed");
    }

    /** {@return the cache's class path} */
    String classPath() {
        return String.join(File.pathSeparator, jars.stream().map(Path::toString).toList());
    }

    private static boolean managesCds(String option) {
        return option.startsWith("-XX:AOT") || option.startsWith("-XX:SharedArchiveFile")
                || option.startsWith("-Xshare") || option.contains("AutoCreateSharedArchive")
                || option.startsWith("-XX:ArchiveClassesAtExit");
    }

    private static List<Path> leadingJars(String classPath) {
        List<Path> jars = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator, -1)) {
            if (entry.isEmpty() || !entry.endsWith(".jar")) {
                break;
            }
            Path p;
            try {
                p = Path.of(entry).toAbsolutePath();
            } catch (InvalidPathException e) {
                break; // the JVM will say what is wrong with it; the cache just stops here
            }
            if (!Files.isRegularFile(p)) {
                break;
            }
            jars.add(p);
        }
        return jars;
    }

    private static boolean holdsLibrary(Path jar) {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.getEntry(LIBRARY_CLASS) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String key(Path java, List<String> jvmOptions, List<Path> jars) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        List<String> parts = new ArrayList<>();
        parts.add(FORMAT);
        Path realJava = java.toRealPath();
        parts.add(realJava.toString());
        Path bin = realJava.getParent();
        Path home = bin == null || bin.getParent() == null ? realJava : bin.getParent();
        Path release = home.resolve("release");
        parts.add(Files.isRegularFile(release) ? Files.readString(release, StandardCharsets.UTF_8) : "no release file");
        parts.add(stamp(home.resolve("lib").resolve("modules")));
        parts.addAll(jvmOptions);
        for (Path jar : jars) {
            parts.add(jar.toString());
            parts.add(stamp(jar));
        }
        for (String part : parts) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    /** {@return size and modification time of a file, or a marker when it does not exist} */
    private static String stamp(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "absent";
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.size() + "@" + a.lastModifiedTime().toMillis();
    }
}
