package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.internal.ProcessRuntime;

@DisplayName("the sharedmem transport provider")
class SharedMemTransportProviderTest {

    @Test
    @DisplayName("is found by ServiceLoader, available on Linux, ranked above pipe, and selected by name")
    void discovered() {
        SharedMemTransportProvider provider = new SharedMemTransportProvider();
        assertNull(provider.unavailabilityCause());
        assertTrue(provider.priority() > 0);
        assertEquals("sharedmem", Multiprocessing.getContext("sharedmem").transport());
        assertEquals("sharedmem", Multiprocessing.defaultTransport());
    }

    /** Prints what a JVM that refuses native access makes of this transport. */
    static final class NoNativeAccess {
        public static void main(String[] args) {
            System.out.println("cause=" + new SharedMemTransportProvider().unavailabilityCause());
            try {
                System.out.println("default=" + Multiprocessing.defaultTransport());
            } catch (RuntimeException noneLeft) { // sharedmem is the only transport on this class path
                System.out.println("selection failed: " + noneLeft.getMessage());
            }
        }
    }

    @Test
    @DisplayName("in a JVM that refuses native access it is unavailable, and selection passes it over, saying why")
    void refusedNativeAccess() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        java.lang.Process jvm = new ProcessBuilder(java, "--illegal-native-access=deny",
                "-cp", System.getProperty("java.class.path"), NoNativeAccess.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, jvm.exitValue(), out);
        assertTrue(out.contains("cause=libc's syscall could not be linked: java.lang.IllegalCallerException"), out);
        // Only sharedmem is on this module's test class path: with it passed over, none is left.
        assertFalse(out.contains("default=sharedmem"), out);
        assertTrue(out.contains("selection failed: ") && out.contains("sharedmem (unavailable: libc's syscall could not be linked"),
                out);
    }

    @Test
    @DisplayName("with native access, is available at once while futex is linked on a thread of its own")
    void linkedAhead() throws Exception {
        assertTrue(SharedMemTransportProvider.class.getModule().isNativeAccessEnabled(),
                "the tests run with --enable-native-access");
        assertNull(new SharedMemTransportProvider().unavailabilityCause());
        assertEquals(0, Futex.wake(SharedBlock.allocate(64).memory(), 0, 1), "the first wake waits for the link and works");
    }

    @Test
    @DisplayName("gives the process native locks, semaphores, events, conditions, barriers, queues and pipes; the broker only past their bounds")
    void natives() {
        var natives = ProcessRuntime.current().transport().nativePrimitives();
        assertTrue(natives.lock(true) instanceof SharedLock);
        assertTrue(natives.semaphore(1, true) instanceof SharedSemaphore);
        assertTrue(natives.event() instanceof SharedEvent);
        assertTrue(natives.queue(0) instanceof SharedQueue);
        assertTrue(natives.queue(1) instanceof SharedQueue);
        assertNull(natives.queue(QueueDescriptor.MAX_CAPACITY + 1));
        assertTrue(natives.condition(natives.lock(false)) instanceof SharedCondition);
        assertTrue(natives.barrier(3, true) instanceof SharedBarrier);
        assertNull(natives.barrier(BarrierDescriptor.MAX_PARTIES + 1, false));
        assertTrue(natives.pipe() instanceof SharedPipe);
    }
}
