package org.multiprocessing4j.internal.manager;

import java.io.Serial;

/** What a remote manager's locks and semaphores share: taking and giving back. */
abstract class RemoteAcquiring extends RemoteBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    RemoteAcquiring(ServerLink link, long id, String server) {
        super(link, id, server);
    }

    /**
     * {@return whether it was acquired in time}
     *
     * @param timeoutNanos as the SPI's {@code acquire}
     * @throws InterruptedException if interrupted while waiting
     */
    public final boolean acquire(long timeoutNanos) throws InterruptedException {
        return (Boolean) timed(timeoutNanos, "acquire", LONG, timeoutNanos);
    }

    /** Gives one back. */
    public final void release() {
        now("release", NONE);
    }
}
