package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Context: the options of process start (short-lived workers, standby JVMs, AOT cache)")
class ContextStartOptionsTest {

    @Test
    @DisplayName("shortLived() adds its JVM options after the ones already given")
    void shortLivedAppends() {
        Context c = Context.builder().jvmOptions("-Xmx64m").shortLived().build();
        List<String> expected = new ArrayList<>(List.of("-Xmx64m"));
        expected.addAll(Context.SHORT_LIVED_JVM_OPTIONS);
        assertEquals(expected, c.jvmOptions());
    }

    @Test
    @DisplayName("a host: kept by toBuilder, blank refused; a transport that runs children here refuses to start one, naming the host, and starts no JVM")
    void hostOnALocalTransport() {
        assertThrows(IllegalArgumentException.class, () -> Context.builder().host(" "));
        Context there = Context.builder().host(" elsewhere.example ").build();
        assertEquals("elsewhere.example", there.host());
        assertEquals("elsewhere.example", there.toBuilder().build().host());
        assertNull(there.toBuilder().host(null).build().host());
        Process p = there.process(() -> { });
        ProcessStartException e = assertThrows(ProcessStartException.class, p::start);
        assertTrue(e.getMessage().contains("on host elsewhere.example") && e.getMessage().contains("starts every child on this machine"),
                e.getMessage());
        assertNull(p.pid());
        assertNull(p.host());
        assertTrue(Multiprocessing.activeChildren().isEmpty());
    }

    @Test
    @DisplayName("standby counts outside 0..MAX_STANDBY are refused, naming the bounds")
    void standbyBounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Context.builder().standby(-1));
        assertTrue(e.getMessage().contains("between 0 and " + Context.MAX_STANDBY), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Context.builder().standby(Context.MAX_STANDBY + 1));
        assertEquals(2, Context.builder().standby(2).build().standby());
    }

    @Test
    @DisplayName("a malformed multiprocessing4j.standby property is an error that names it")
    void badStandbyProperty() {
        String old = System.getProperty("multiprocessing4j.standby");
        System.setProperty("multiprocessing4j.standby", "many");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Context::builder);
            assertTrue(e.getMessage().contains("multiprocessing4j.standby") && e.getMessage().contains("'many'"),
                    e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("multiprocessing4j.standby");
            } else {
                System.setProperty("multiprocessing4j.standby", old);
            }
        }
    }

    @Test
    @DisplayName("the AOT cache is on by default, in the directory the system property names; toBuilder keeps all three options")
    void defaultsAndCopies() {
        Context c = Context.builder().build();
        assertTrue(c.aotCache());
        assertEquals(Path.of(System.getProperty("multiprocessing4j.cacheDir")).toAbsolutePath(), c.cacheDirectory());
        Context changed = c.toBuilder().aotCache(false).cacheDirectory(null).standby(3).build();
        Context copy = changed.toBuilder().build();
        assertFalse(copy.aotCache());
        assertNull(copy.cacheDirectory());
        assertEquals(3, copy.standby());
    }

    @Test
    @DisplayName("jarsFirst puts a class path's jars before its directories, each group in its order; the build's tests ask for it by the system property")
    void jarsFirst() {
        String sep = java.io.File.pathSeparator;
        assertEquals(String.join(sep, "/a.jar", "/c.jar", "/classes", "/test-classes"),
                Context.jarsFirst(String.join(sep, "/classes", "/a.jar", "/test-classes", "", "/c.jar")));
        assertEquals("", Context.jarsFirst(""));
        String own = System.getProperty("java.class.path");
        String expected = Boolean.getBoolean("multiprocessing4j.jarsFirst") ? Context.jarsFirst(own) : own;
        assertEquals(expected, Context.builder().build().classPath());
        assertTrue(Context.builder().build().classPath().split(sep)[0].endsWith(".jar")
                || !Boolean.getBoolean("multiprocessing4j.jarsFirst"), "the tests' children begin with a jar");
    }

    @Test
    @DisplayName("a child's context carries the start options on to its own children")
    void inheritedByChildren() throws Exception {
        Context c = Context.builder().aotCache(false).standby(2).jvmOptions("-Xmx96m").build();
        try (CapturedOutput out = new CapturedOutput()) {
            Process p = c.process(Targets::printStartOptions);
            p.start();
            p.join();
            assertEquals(0, p.exitCode(), out.err());
            assertTrue(out.out().contains("aotCache=false standby=2 jvmOptions=[-Xmx96m] cacheDirectory="
                    + c.cacheDirectory()), out.out());
        }
    }
}
