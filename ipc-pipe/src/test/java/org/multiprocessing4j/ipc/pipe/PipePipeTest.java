package org.multiprocessing4j.ipc.pipe;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.PipeKit;

class PipePipeTest extends PipeKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext("pipe");
    }
}
