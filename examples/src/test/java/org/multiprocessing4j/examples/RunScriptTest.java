package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the examples launcher")
class RunScriptTest {

    @Test
    @DisplayName("--list names every example, the seed programs first")
    void list() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Examples.main(new String[] {"--list"});
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("workers "), text);
        assertTrue(text.contains("\nfoo "), text);
    }

    @Test
    @DisplayName("examples/run exists, is executable and names the launcher class")
    void script() throws IOException {
        Path script = Path.of("run");
        assertTrue(Files.isExecutable(script), "examples/run is not executable");
        String text = Files.readString(script);
        assertTrue(text.contains(Examples.class.getName()), text);
        assertEquals("#!/usr/bin/env bash", text.lines().findFirst().orElseThrow());
    }
}
