package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import org.multiprocessing4j.spi.QueueBackend;

/** A remote manager's {@code Queue} or {@code JoinableQueue}, in its client; items arrive encoded. */
final class RemoteQueueBackend extends RemoteBackend implements QueueBackend {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Class<?>[] PUT = {byte[].class, long.class};

    RemoteQueueBackend(ServerLink link, long id, String server) {
        super(link, id, server);
    }

    @Override
    public void put(byte[] item, long timeoutNanos) throws InterruptedException {
        timed(timeoutNanos, "put", PUT, item, timeoutNanos);
    }

    @Override
    public byte[] get(long timeoutNanos) throws InterruptedException {
        return (byte[]) timed(timeoutNanos, "get", LONG, timeoutNanos);
    }

    @Override
    public int size() {
        return (Integer) now("size", NONE);
    }

    @Override
    public void taskDone() {
        now("taskDone", NONE);
    }

    @Override
    public void join() throws InterruptedException {
        waiting("join", NONE);
    }
}
