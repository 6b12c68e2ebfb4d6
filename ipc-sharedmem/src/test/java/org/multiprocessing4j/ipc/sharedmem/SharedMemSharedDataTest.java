package org.multiprocessing4j.ipc.sharedmem;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.SharedDataKit;

class SharedMemSharedDataTest extends SharedDataKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext("sharedmem");
    }
}
