package org.multiprocessing4j.ipc.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
