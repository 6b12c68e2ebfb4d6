package org.multiprocessing4j.ipc.sharedmem;

/**
 * The layout of a {@code Pipe}'s holder block; the messages travel in two queues
 * ({@link SharedQueue}), one into each end.
 * <pre>
 *   0             4                                                       64
 *   +-------------+-------------------------------------------------------+
 *   | closed 0    | (padding)                                             |   end 0
 *   +-------------+-------------------------------------------------------+
 *   64            68                                                      128
 *   +-------------+-------------------------------------------------------+
 *   | closed 1    | (padding)                                             |   end 1
 *   +-------------+-------------------------------------------------------+
 *   128: holders of end 0, HOLDERS longs; then holders of end 1
 * </pre>
 * <ul>
 * <li>{@code closed e}: 1 once the last holder of end {@code e} closed it: closed for good.</li>
 * <li>{@code holders}: the processes that hold the end (packed {@link ProcessIdentity}), 0 for
 *     a free entry: the opener, and every process that decoded a handle to the end; removed
 *     by {@code close()}. A process that ended without closing stays, dead: that is how a
 *     reader tells an end abandoned by a dead holder.</li>
 * </ul>
 */
final class PipeDescriptor {
    static final int HOLDERS = 64;
    static final long HOLDER_TABLES = 128;
    static final int SIZE = (int) HOLDER_TABLES + 2 * HOLDERS * 8;
    /** The slots of each direction's ring: a sender waits when this many messages are unread. */
    static final int CAPACITY = 1024;

    private PipeDescriptor() {
    }

    /** {@return the offset of end {@code e}'s closed flag} */
    static long closed(int e) {
        return 64L * e;
    }

    /** {@return the offset of entry {@code i} of end {@code e}'s holder table} */
    static long holder(int e, int i) {
        return HOLDER_TABLES + 8L * (e * HOLDERS + i);
    }
}
