package org.multiprocessing4j.internal.aot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.spi.Transport;
import org.multiprocessing4j.spi.TransportProvider;

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

    @Test
    @DisplayName("the cache of children without options trains the transport they select by default")
    void defaultTransportTrains() {
        TransportProvider low = provider("low", 0, List.of(), null);
        TransportProvider high = provider("high", 20, List.of(), null);
        TransportProvider unavailable = provider("unavailable", 30, List.of(), "not on this machine");
        TransportProvider optioned = provider("optioned", 40, List.of("-Dx"), null);
        TransportProvider broken = new TransportProvider() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public int priority() {
                return 50;
            }

            @Override
            public String unavailabilityCause() {
                throw new IllegalStateException("cannot tell");
            }

            @Override
            public Transport create() {
                throw new UnsupportedOperationException();
            }
        };
        assertSame(high, AotTraining.defaultWithoutOptions(List.of(low, high, unavailable, optioned, broken)));
        assertSame(low, AotTraining.defaultWithoutOptions(List.of(low, unavailable)));
        assertNull(AotTraining.defaultWithoutOptions(List.of(unavailable, optioned)));
        assertNull(AotTraining.defaultWithoutOptions(List.of()));
    }

    private static TransportProvider provider(String name, int priority, List<String> options, String unavailable) {
        return new TransportProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public String unavailabilityCause() {
                return unavailable;
            }

            @Override
            public List<String> childJvmOptions() {
                return options;
            }

            @Override
            public Transport create() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
