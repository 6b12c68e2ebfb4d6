package org.multiprocessing4j.ipc.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Multiprocessing;

@DisplayName("the pipe transport provider")
class PipeTransportProviderTest {

    @Test
    @DisplayName("is found by ServiceLoader, always available, and selected by name")
    void discovered() {
        assertEquals("pipe", Multiprocessing.getContext("pipe").transport());
    }

    @Test
    @DisplayName("is the default when it is the only transport on the class path")
    void defaultWhenAlone() {
        assertEquals("pipe", Multiprocessing.defaultTransport());
    }
}
