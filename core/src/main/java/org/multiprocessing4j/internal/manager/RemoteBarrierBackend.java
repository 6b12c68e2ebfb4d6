package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import org.multiprocessing4j.spi.BarrierBackend;

/** A remote manager's {@code Barrier}, in its client (the action runs in the client, as for any party). */
final class RemoteBarrierBackend extends RemoteBackend implements BarrierBackend {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Class<?>[] DONE = {long.class, boolean.class};

    RemoteBarrierBackend(ServerLink link, long id, String server) {
        super(link, id, server);
    }

    @Override
    public Arrival arrive(long timeoutNanos) throws InterruptedException {
        return (Arrival) timed(timeoutNanos, "arrive", LONG, timeoutNanos);
    }

    @Override
    public void actionDone(long round, boolean succeeded) {
        now("actionDone", DONE, round, succeeded);
    }

    @Override
    public void reset() {
        now("reset", NONE);
    }

    @Override
    public void abort() {
        now("abort", NONE);
    }

    @Override
    public int nWaiting() {
        return (Integer) now("nWaiting", NONE);
    }

    @Override
    public boolean isBroken() {
        return (Boolean) now("isBroken", NONE);
    }
}
