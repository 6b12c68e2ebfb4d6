package org.multiprocessing4j.internal.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("AOT plan: which cache a child would use, and when there can be none")
class AotPlanTest {
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final List<String> OPTIONS = List.of("--enable-native-access=ALL-UNNAMED");

    @TempDir
    Path dir;

    @Test
    @DisplayName("the cache covers the leading jars, up to the first directory, and needs the library among them")
    void leadingJars() throws IOException {
        Path library = libraryJar("core.jar");
        Path other = libraryJar("other.jar");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        AotPlan plan = AotPlan.of(dir, JAVA, OPTIONS, cp(library, classes, other));
        assertNotNull(plan);
        assertEquals(List.of(library), plan.jars());
        assertEquals(library.toString(), plan.classPath());
        assertNull(AotPlan.of(dir, JAVA, OPTIONS, cp(classes, library)), "a directory first leaves nothing to cache");
        assertNull(AotPlan.of(dir, JAVA, OPTIONS, cp(plainJar("app.jar"))), "no library jar, no training classes");
    }

    @Test
    @DisplayName("options that run CDS or AOT their own way leave the cache out")
    void userManagesCds() throws IOException {
        String cp = libraryJar("core.jar").toString();
        for (String option : List.of("-XX:AOTCache=x.aot", "-XX:SharedArchiveFile=x.jsa", "-Xshare:off",
                "-XX:+AutoCreateSharedArchive", "-XX:ArchiveClassesAtExit=x.jsa")) {
            assertNull(AotPlan.of(dir, JAVA, List.of(option), cp), option);
        }
    }

    @Test
    @DisplayName("the key changes with a rebuilt jar and with the JVM options, and only then")
    void keyFollowsInputs() throws IOException {
        Path library = libraryJar("core.jar");
        String key = AotPlan.of(dir, JAVA, OPTIONS, library.toString()).key();
        assertEquals(key, AotPlan.of(dir, JAVA, OPTIONS, library.toString()).key());
        assertNotEquals(key, AotPlan.of(dir, JAVA, List.of("-Xmx64m"), library.toString()).key());
        Files.setLastModifiedTime(library, FileTime.fromMillis(Files.getLastModifiedTime(library).toMillis() - 60_000));
        assertNotEquals(key, AotPlan.of(dir, JAVA, OPTIONS, library.toString()).key());
    }

    private Path libraryJar(String name) throws IOException {
        return jarWith(name, "org/multiprocessing4j/internal/ChildMain.class");
    }

    private Path plainJar(String name) throws IOException {
        return jarWith(name, "com/example/App.class");
    }

    private Path jarWith(String name, String entry) throws IOException {
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(entry));
            out.write(new byte[] {(byte) 0xca, (byte) 0xfe});
            out.closeEntry();
        }
        return jar;
    }

    private static String cp(Path... entries) {
        return String.join(File.pathSeparator, java.util.Arrays.stream(entries).map(Path::toString).toList());
    }
}
