package org.multiprocessing4j.ipc.sharedmem;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.EventKit;

class SharedMemEventTest extends EventKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext("sharedmem");
    }
}
