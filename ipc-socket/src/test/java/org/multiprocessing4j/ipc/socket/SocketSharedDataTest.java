package org.multiprocessing4j.ipc.socket;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.SharedDataKit;

class SocketSharedDataTest extends SharedDataKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext("socket");
    }
}
