package org.multiprocessing4j.ipc.pipe;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.PoolKit;

class PipePoolTest extends PoolKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext("pipe");
    }
}
