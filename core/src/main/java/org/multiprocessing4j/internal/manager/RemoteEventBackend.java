package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import org.multiprocessing4j.spi.EventBackend;

/** A remote manager's {@code Event}, in its client. */
final class RemoteEventBackend extends RemoteBackend implements EventBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    RemoteEventBackend(ServerLink link, long id, String server) {
        super(link, id, server);
    }

    @Override
    public void set() {
        now("set", NONE);
    }

    @Override
    public void clear() {
        now("clear", NONE);
    }

    @Override
    public boolean isSet() {
        return (Boolean) now("isSet", NONE);
    }

    @Override
    public boolean await(long timeoutNanos) throws InterruptedException {
        return (Boolean) timed(timeoutNanos, "await", LONG, timeoutNanos);
    }
}
