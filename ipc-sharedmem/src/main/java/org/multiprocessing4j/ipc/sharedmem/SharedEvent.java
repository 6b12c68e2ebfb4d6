package org.multiprocessing4j.ipc.sharedmem;

import static org.multiprocessing4j.ipc.sharedmem.EventDescriptor.SET;
import static org.multiprocessing4j.ipc.sharedmem.EventDescriptor.STATE;
import static org.multiprocessing4j.ipc.sharedmem.EventDescriptor.WAITERS;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import org.multiprocessing4j.spi.EventBackend;

/**
 * An {@code Event} in shared memory ({@link EventDescriptor}). A wait returns true when the flag
 * is set, or was set at any moment since the wait began (as the broker's does: a set answers
 * every waiter, whatever comes next). When the event's creator has ended, every operation fails
 * with {@link org.multiprocessing4j.ProcessGoneException}; waiters notice within a slice.
 */
final class SharedEvent extends SharedPrimitive implements EventBackend {
    @Serial
    private static final long serialVersionUID = 1L;


    private SharedEvent(SharedBlock block) {
        super(block);
    }

    /** {@return a new event, not set, owned by this process} */
    static SharedEvent create() {
        return new SharedEvent(SharedBlock.allocate(EventDescriptor.SIZE));
    }

    @Override
    public void set() {
        MemorySegment m = memory();
        while (true) {
            int s = Words.getInt(m, STATE);
            if ((s & SET) != 0) {
                return;
            }
            if (Words.casInt(m, STATE, s, (s + 2) | SET)) {
                WaitStrategy.wake(m, STATE, WAITERS, Integer.MAX_VALUE);
                return;
            }
        }
    }

    @Override
    public void clear() {
        MemorySegment m = memory();
        while (true) {
            int s = Words.getInt(m, STATE);
            if ((s & SET) == 0 || Words.casInt(m, STATE, s, s & ~SET)) {
                return;
            }
        }
    }

    @Override
    public boolean isSet() {
        MemorySegment m = memory();
        return (Words.getInt(m, STATE) & SET) != 0;
    }

    @Override
    public boolean await(long timeoutNanos) throws InterruptedException {
        MemorySegment m = memory();
        int seen = Words.getInt(m, STATE);
        if ((seen & SET) != 0) {
            return true;
        }
        if (timeoutNanos == 0) {
            return false;
        }
        Waiting waiting = new Waiting(timeoutNanos);
        while (true) {
            if (waiting.checkDue()) {
                block.checkCreatorNow();
            }
            if (!waiting.pause(m, STATE, WAITERS, seen)) {
                return false;
            }
            int now = Words.getInt(m, STATE);
            if ((now & SET) != 0 || (now >>> 1) != (seen >>> 1)) {
                return true;
            }
        }
    }
}
