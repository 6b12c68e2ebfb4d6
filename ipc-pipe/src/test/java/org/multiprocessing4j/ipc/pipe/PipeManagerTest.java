package org.multiprocessing4j.ipc.pipe;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.ManagerKit;

class PipeManagerTest extends ManagerKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext("pipe");
    }
}
