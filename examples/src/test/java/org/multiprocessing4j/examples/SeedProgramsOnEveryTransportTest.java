package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each seed program in a JVM of its own with {@code --transport T}, as {@code examples/run}
 * starts it: a transport is chosen once per JVM, so this is the only honest way to run one
 * program on several transports.
 */
@DisplayName("the seed programs print the seed's output on every transport, in a fresh JVM")
class SeedProgramsOnEveryTransportTest {

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"pipe", "socket", "sharedmem"})
    void seedPrograms(String transport) throws Exception {
        assertEquals("Foo\n", run("foo", transport));
        assertEquals("Hello from worker!\n", run("queue", transport));
        assertEquals("Critical section!\n".repeat(5), run("lock", transport));
        assertEquals("[1, 4, 9, 16, 25]\n", run("pool", transport));
        assertEquals("{count=400, merged=400}\n", run("manager-counter", transport));
        List<String> lines = run("workers", transport).lines().toList();
        for (int i = 0; i < 5; i++) {
            String start = "Worker " + i + " started in Process-" + (i + 1);
            String finish = "Worker " + i + " finished in Process-" + (i + 1);
            assertTrue(lines.indexOf(start) >= 0 && lines.indexOf(start) < lines.indexOf(finish), lines.toString());
        }
        assertEquals(10, lines.size(), lines.toString());
    }

    private static String run(String program, String transport) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Examples.class.getName());
        cmd.add(program);
        cmd.add("--transport");
        cmd.add(transport);
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), program + " on " + transport + " did not end");
        String stderr = err.join();
        assertEquals(0, p.exitValue(), program + " on " + transport + " failed: " + stderr);
        assertEquals("", stderr, program + " on " + transport + " wrote to stderr");
        return out;
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
