package org.multiprocessing4j.ipc.sharedmem;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.ManagerKit;

class SharedMemManagerTest extends ManagerKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext("sharedmem");
    }
}
