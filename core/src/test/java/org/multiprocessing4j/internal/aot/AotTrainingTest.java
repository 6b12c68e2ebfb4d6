package org.multiprocessing4j.internal.aot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AotTrainingTest {

    @Test
    @DisplayName("a transport trains a children's cache only when it has child options and the training JVM has them all")
    void whichTransportTrains() {
        List<String> jvm = List.of("--sun-misc-unsafe-memory-access=allow", "-Xmx64m");
        assertTrue(AotTraining.trains(List.of("--sun-misc-unsafe-memory-access=allow"), jvm));
        assertFalse(AotTraining.trains(List.of(), jvm), "a transport without options cannot tell its children's caches");
        assertFalse(AotTraining.trains(List.of("--sun-misc-unsafe-memory-access=allow", "-Dother"), jvm));
        assertFalse(AotTraining.trains(List.of("--sun-misc-unsafe-memory-access=allow"), List.of("-Xmx64m")));
    }
}
