package org.multiprocessing4j.ipc.sharedmem;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.PipeKit;

class SharedMemPipeTest extends PipeKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext("sharedmem");
    }
}
