package org.multiprocessing4j.ipc.pipe;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.SharedDataKit;

class PipeSharedDataTest extends SharedDataKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext("pipe");
    }
}
