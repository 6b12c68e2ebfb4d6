package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import org.multiprocessing4j.spi.SemaphoreBackend;

/** A remote manager's {@code Semaphore} or {@code BoundedSemaphore}, in its client. */
final class RemoteSemaphoreBackend extends RemoteAcquiring implements SemaphoreBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    RemoteSemaphoreBackend(ServerLink link, long id, String server) {
        super(link, id, server);
    }

    @Override
    public int value() {
        return (Integer) now("value", NONE);
    }
}
