package org.multiprocessing4j.ipc.sharedmem;

import java.lang.foreign.MemorySegment;
import org.multiprocessing4j.spi.ConnectionBackend;
import org.multiprocessing4j.spi.PipeBackend;

/**
 * A new {@code Pipe} in shared memory: a holder block ({@link PipeDescriptor}) and a solo ring
 * (one producer and one consumer at a time, {@link Ring}) into each end; the opening process
 * holds both ends.
 */
final class SharedPipe implements PipeBackend {
    private final SharedConnection first;
    private final SharedConnection second;

    private SharedPipe(SharedConnection first, SharedConnection second) {
        this.first = first;
        this.second = second;
    }

    /** {@return a new pipe whose two ends this process holds} */
    static SharedPipe open() {
        SharedBlock block = SharedBlock.allocate(PipeDescriptor.SIZE);
        SharedQueue into0 = SharedQueue.createSolo(PipeDescriptor.CAPACITY);
        SharedQueue into1 = SharedQueue.createSolo(PipeDescriptor.CAPACITY);
        MemorySegment m = block.memory();
        SharedConnection.hold(m, 0);
        SharedConnection.hold(m, 1);
        return new SharedPipe(new SharedConnection(block, 0, into0, into1), new SharedConnection(block, 1, into1, into0));
    }

    @Override
    public ConnectionBackend first() {
        return first;
    }

    @Override
    public ConnectionBackend second() {
        return second;
    }
}
