package org.multiprocessing4j.ipc.sharedmem;

/**
 * The layout of a {@code Lock} or {@code RLock} block, one cache line:
 * <pre>
 *   0               8         12        16                  24                32          64
 *   +---------------+---------+---------+-------------------+-----------------+-----------+
 *   | owner         | waiters | holds   | holder thread     | fencing token   | (padding) |
 *   +---------------+---------+---------+-------------------+-----------------+-----------+
 * </pre>
 * <ul>
 * <li>{@code owner}: the holding process, a packed {@link ProcessIdentity}; 0 when free. Taken
 *     and released by compare-and-set. Its low half, the pid, is the futex word that waiters
 *     sleep on (a release changes it to 0).</li>
 * <li>{@code waiters}: how many threads sleep in futex on the owner word; a release wakes one
 *     only when this is not 0.</li>
 * <li>{@code holds}: an RLock's hold count, written only by the holder.</li>
 * <li>{@code holder thread}: the holding thread's {@link Thread#threadId()}, written by the
 *     holder after taking the owner word and cleared before releasing it.</li>
 * <li>{@code fencing token}: the token of the current (or last) hold, raised by one by each
 *     new holder right after it took the owner word, so only ever written under the lock. A
 *     holder that dies before raising it never learned a token; the next one raises it.</li>
 * </ul>
 */
final class LockDescriptor {
    static final long OWNER = 0;
    static final long WAITERS = 8;
    static final long HOLDS = 12;
    static final long THREAD = 16;
    static final long FENCE = 24;
    static final int SIZE = 64;

    private LockDescriptor() {
    }
}
