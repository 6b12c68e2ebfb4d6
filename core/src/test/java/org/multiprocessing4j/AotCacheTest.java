package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.multiprocessing4j.internal.ProcessRuntime;

/**
 * The AOT cache end to end. Children get a class path that begins with jars (the library's
 * classes are jarred for the test), and a cache directory of the test's own.
 */
@DisplayName("AOT cache: made once in the background, used by later children, ignored when bad")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AotCacheTest {
    private static final Duration CREATION_LIMIT = Duration.ofMinutes(4);
    private Path work;
    private Path cacheDir;
    private Path loadLogs;
    private Context context;

    @BeforeAll
    void jarTheLibrary() throws Exception {
        work = Files.createTempDirectory("aot-cache-test");
        cacheDir = work.resolve("cache");
        loadLogs = work.resolve("logs");
        Files.createDirectories(loadLogs);
        Path coreJar = work.resolve("multiprocessing4j-core.jar");
        jar(location(Process.class), coreJar);
        String classPath = String.join(File.pathSeparator, coreJar.toString(),
                location(com.google.protobuf.Message.class).toString(),
                location(org.jspecify.annotations.Nullable.class).toString(),
                location(AotCacheTest.class).toString());
        // Each child logs where its classes come from: "shared objects file" is the cache.
        context = Context.builder().classPath(classPath).cacheDirectory(cacheDir).aotCache(true).standby(0)
                .jvmOptions("-Xlog:class+load:file=" + loadLogs + "/load-%p.txt").build();
    }

    @AfterAll
    void removeEverything() throws Exception {
        ProcessRuntime.current().aotCache().awaitCreators(CREATION_LIMIT);
        try (Stream<Path> files = Files.walk(work)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    @Order(1)
    @DisplayName("the first start makes the cache in the background; later children load the library from it")
    void madeThenUsed() throws Exception {
        Process first = context.process(Targets::printName);
        first.start();
        first.join();
        assertEquals(0, first.exitCode());
        assertTrue(ProcessRuntime.current().aotCache().awaitCreators(CREATION_LIMIT), "the creator did not end");
        List<String> names = fileNames(cacheDir);
        assertEquals(2, names.size(), "expected one cache and the lock: " + names);
        assertTrue(names.stream().anyMatch(n -> n.matches("[0-9a-f]{32}\\.aot")), names.toString());
        assertTrue(names.contains("creation.lock"), names.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDir)));

        Process second = context.process(() -> { });
        second.start();
        second.join();
        assertEquals(0, second.exitCode());
        assertTrue(loadLog(second).contains("org.multiprocessing4j.internal.ChildMain source: shared objects file"),
                "ChildMain did not come from the cache");
    }

    @Test
    @Order(2)
    @DisplayName("a corrupt cache is ignored: the child starts, loads from the jars, and nothing about it is printed")
    void corruptCacheIgnored() throws Exception {
        Path cache;
        try (Stream<Path> files = Files.list(cacheDir)) {
            cache = files.filter(p -> p.toString().endsWith(".aot")).findFirst().orElseThrow();
        }
        Files.write(cache, new byte[] {'n', 'o', 't', ' ', 'a', 'n', ' ', 'A', 'O', 'T', ' ', 'c', 'a', 'c', 'h', 'e'});
        try (CapturedOutput out = new CapturedOutput()) {
            Process p = context.process(Targets::printName);
            p.start();
            p.join();
            assertEquals(0, p.exitCode(), out.err());
            assertTrue(out.out().contains("name=" + p.name()), out.out());
            assertEquals("", out.err());
            assertTrue(loadLog(p).contains("org.multiprocessing4j.internal.ChildMain source: file:"), "not from the jar");
        }
    }

    @Test
    @DisplayName("switched off, no cache is made or used")
    void switchedOff() throws Exception {
        Path otherDir = work.resolve("off");
        Context off = context.toBuilder().aotCache(false).cacheDirectory(otherDir).build();
        Process p = off.process(() -> { });
        p.start();
        p.join();
        assertEquals(0, p.exitCode());
        assertTrue(ProcessRuntime.current().aotCache().awaitCreators(CREATION_LIMIT));
        assertFalse(Files.exists(otherDir), "a cache directory was made");
        assertFalse(loadLog(p).contains("ChildMain source: shared objects file"), "ChildMain came from a cache");
    }

    @Test
    @DisplayName("a cache directory others may write to is not used")
    void openDirectoryRefused() throws Exception {
        Path open = work.resolve("open");
        Files.createDirectories(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Process p = context.toBuilder().cacheDirectory(open).build().process(() -> { });
        p.start();
        p.join();
        assertEquals(0, p.exitCode());
        assertTrue(ProcessRuntime.current().aotCache().awaitCreators(CREATION_LIMIT));
        assertEquals(List.of(), fileNames(open));
    }

    @Test
    @DisplayName("a second creator finds the directory's lock taken and leaves without making anything")
    void oneCreatorAtATime() throws Exception {
        Path dir = work.resolve("locked");
        Files.createDirectories(dir);
        try (FileChannel channel = FileChannel.open(dir.resolve("creation.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            assertTrue(lock.isValid());
            java.lang.Process creator = new ProcessBuilder(context.javaExecutable().toString(), "-cp",
                    context.classPath(), "org.multiprocessing4j.internal.aot.AotCacheCreator", dir.toString(),
                    "0123456789abcdef0123456789abcdef", context.javaExecutable().toString(), context.classPath())
                    .redirectErrorStream(true).start();
            creator.getOutputStream().close();
            assertTrue(creator.waitFor(2, TimeUnit.MINUTES), "the creator waited for the lock");
            String said = new String(creator.getInputStream().readAllBytes());
            assertEquals(0, creator.exitValue(), said);
        }
        assertEquals(List.of("creation.lock"), fileNames(dir));
    }

    private String loadLog(Process p) throws IOException {
        return Files.readString(loadLogs.resolve("load-" + p.pid() + ".txt"));
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> tree = Files.walk(classes)) {
            for (Path p : tree.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
    }
}
