package org.multiprocessing4j.spi;

/**
 * A primitive's backend that its owner can let go before the owner ends: what the object holds
 * (a broker's entry in its owner's object table, a shared-memory segment) is freed at once
 * instead of when the owner ends. Optional: core calls {@link #release()} on a backend that
 * implements it, and does nothing for one that does not.
 *
 * <p>Core releases only objects nobody can reach any more (the queues of a pool that has ended,
 * say); a backend still makes a late caller fail cleanly: with an error that names the object,
 * never a hang or a crash.
 *
 * @since 0.1
 */
public interface Releasable {

    /**
     * Frees what the object holds. Called once, in the owner process, from any thread; later
     * operations on the object, in any process, fail with an exception that names it.
     */
    void release();
}
