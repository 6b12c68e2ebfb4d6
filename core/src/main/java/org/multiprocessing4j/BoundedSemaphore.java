package org.multiprocessing4j;

import java.io.Serial;
import org.multiprocessing4j.spi.SemaphoreBackend;

/**
 * A semaphore that may not be released above its initial value: Python's
 * {@code multiprocessing.BoundedSemaphore}. Such a release throws
 * {@link IllegalStateException} naming the bound (Python's {@code ValueError}).
 *
 * <p>Unlike a {@link Semaphore}'s, its permits are held: when a process dies (killed, crashed,
 * or ended) without releasing the permits it acquired, they come back, and the next acquirer
 * is told on its {@code System.err} that what they guarded may be inconsistent (where Python
 * would lose them, and every later acquirer wait for ever).
 *
 * @since 0.1
 */
public final class BoundedSemaphore extends Semaphore {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * A new bounded semaphore owned by this process.
     *
     * @param value the initial number of permits, which is also the bound
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value, true);
    }

    /** @param backend an existing bounded semaphore's backend (a remote manager's) */
    BoundedSemaphore(SemaphoreBackend backend) {
        super(backend);
    }
}
