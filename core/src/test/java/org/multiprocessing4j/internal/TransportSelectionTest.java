package org.multiprocessing4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.MultiprocessingException;
import org.multiprocessing4j.internal.FakeProviders.Fake;

@DisplayName("transport selection: named, then the system property, then priority")
class TransportSelectionTest {
    private final TransportSelection selection = TransportSelection.of(List.of(
            new Fake("slow", 0, null),
            new Fake("fast", 50, null),
            new Fake("fastest", 90, "needs /dev/shm, which is not mounted"),
            new Fake("also-fast", 50, null)));

    @Test
    @DisplayName("with no name, the available provider of highest priority wins; ties go to the first name")
    void byPriority() {
        assertEquals("also-fast", selection.select(null, null).name());
    }

    @Test
    @DisplayName("a name given by the code wins over the system property")
    void explicitName() {
        assertEquals("slow", selection.select("slow", "fast").name());
    }

    @Test
    @DisplayName("the system property names the transport when the code does not")
    void property() {
        assertEquals("fast", selection.select(null, " fast ").name());
        assertEquals("also-fast", selection.select(null, "  ").name());
    }

    @Test
    @DisplayName("a missing name: an error that says which artifact to add and lists what was found")
    void missing() {
        MultiprocessingException e = assertThrows(MultiprocessingException.class,
                () -> selection.select(null, "socket"));
        assertTrue(e.getMessage().contains("no transport named 'socket' (from the system property"), e.getMessage());
        assertTrue(e.getMessage().contains("add multiprocessing4j-ipc-socket"), e.getMessage());
        assertTrue(e.getMessage().contains("fastest (unavailable: needs /dev/shm"), e.getMessage());
    }

    @Test
    @DisplayName("an unavailable name: an error that says why")
    void unavailable() {
        MultiprocessingException e = assertThrows(MultiprocessingException.class,
                () -> selection.select("fastest", null));
        assertTrue(e.getMessage().contains("'fastest' is not available here: needs /dev/shm, which is not mounted"),
                e.getMessage());
    }

    @Test
    @DisplayName("no provider at all: an error that names the artifacts to add")
    void none() {
        MultiprocessingException e = assertThrows(MultiprocessingException.class,
                () -> TransportSelection.of(List.of()).select(null, null));
        assertTrue(e.getMessage().contains("add multiprocessing4j-ipc-pipe"), e.getMessage());
        MultiprocessingException allDown = assertThrows(MultiprocessingException.class,
                () -> TransportSelection.of(List.of(new Fake("shm", 9, "no /dev/shm"))).select(null, null));
        assertTrue(allDown.getMessage().contains("shm (unavailable: no /dev/shm)"), allDown.getMessage());
    }

    @Test
    @DisplayName("two providers with one name, or a malformed name, are refused")
    void duplicates() {
        MultiprocessingException e = assertThrows(MultiprocessingException.class,
                () -> TransportSelection.of(List.of(new Fake("pipe", 0, null), new Fake("pipe", 1, null))));
        assertTrue(e.getMessage().contains("two transport providers are named 'pipe'"), e.getMessage());
        assertThrows(MultiprocessingException.class,
                () -> TransportSelection.of(List.of(new Fake("Pipe Two", 0, null))));
    }

    @Test
    @DisplayName("ServiceLoader: a provider that fails to load does not stop the others, and is reported")
    void serviceLoader() {
        TransportSelection loaded = TransportSelection.load(getClass().getClassLoader());
        assertEquals("fake-good", loaded.select(null, null).name());
        MultiprocessingException e = assertThrows(MultiprocessingException.class,
                () -> loaded.select("fake-broken", null));
        assertTrue(e.getMessage().contains("fake-broken cannot be constructed"), e.getMessage());
        assertEquals("fake-good", Multiprocessing.getContext("fake-good").transport());
        assertEquals("fake-good", Multiprocessing.defaultTransport());
    }
}
