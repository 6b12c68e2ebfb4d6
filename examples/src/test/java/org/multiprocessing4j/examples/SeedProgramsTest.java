package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the seed article's programs print the seed's output")
class SeedProgramsTest {

    private static String run(String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Examples.main(args);
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        old.print(text);
        return text;
    }

    @Test
    @DisplayName("workers: the seed's ten lines; starts in order, finishes in order, each start before its finish")
    void workers() throws Exception {
        // Names count from this JVM's first Process: in a fresh JVM (examples/run) Process-1.
        List<String> lines = renumber(run("workers")).lines().toList();
        List<String> starts = new ArrayList<>();
        List<String> finishes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            starts.add("Worker " + i + " started in Process-" + (i + 1));
            finishes.add("Worker " + i + " finished in Process-" + (i + 1));
        }
        // The seed prints all five starts, then all five finishes: that needs the five children
        // to start within the two seconds a worker sleeps, a matter of the machine's speed,
        // which a test does not assert. The order the program itself guarantees is checked.
        assertEquals(starts, lines.stream().filter(l -> l.contains("started")).toList(), String.join("\n", lines));
        assertEquals(finishes, lines.stream().filter(l -> l.contains("finished")).toList(), String.join("\n", lines));
        assertEquals(10, lines.size(), String.join("\n", lines));
        for (int i = 0; i < 5; i++) {
            assertTrue(lines.indexOf(starts.get(i)) < lines.indexOf(finishes.get(i)), String.join("\n", lines));
        }
    }

    @Test
    @DisplayName("foo: a child prints Foo")
    void foo() throws Exception {
        assertEquals("Foo\n", run("foo"));
    }

    @Test
    @DisplayName("queue: the parent prints the child's greeting")
    void queue() throws Exception {
        assertEquals("Hello from worker!\n", run("queue"));
    }

    @Test
    @DisplayName("lock: five critical sections")
    void lock() throws Exception {
        assertEquals("Critical section!\n".repeat(5), run("lock"));
    }

    @Test
    @DisplayName("pool: a Pool maps square over five numbers")
    void pool() throws Exception {
        assertEquals("[1, 4, 9, 16, 25]\n", run("pool"));
    }

    @Test
    @DisplayName("shared-value: four processes reach the exact count and sums")
    void sharedValue() throws Exception {
        assertEquals("counter = 400\nsums = [5050, 5050, 5050, 5050]\n", run("shared-value"));
    }

    @Test
    @DisplayName("manager-counter: four processes count 400 in a manager's map, with a lock and with merge")
    void managerCounter() throws Exception {
        assertEquals("{count=400, merged=400}\n", run("manager-counter"));
    }

    @Test
    @DisplayName("manager-remote: a JVM that did not start the manager, and its child, post to its board under its lock")
    void managerRemote() throws Exception {
        assertEquals("client JVM read 3 messages\n"
                + "the board: [hello from the JVM that started the manager, hello from another JVM (pid N), "
                + "hello from its child]\n",
                run("manager-remote").replaceAll("pid \\d+", "pid N"));
    }

    /** Maps the process numbers in the output to 1.. in order of first appearance. */
    private static String renumber(String output) {
        java.util.Map<String, Integer> seen = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Process-(\\d+)").matcher(output);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int n = seen.computeIfAbsent(m.group(1), k -> seen.size() + 1);
            m.appendReplacement(sb, "Process-" + n);
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
