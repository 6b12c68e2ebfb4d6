package org.multiprocessing4j.tck.tiny;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.JoinableQueueKit;

class TinyJoinableQueueTest extends JoinableQueueKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext(TinyTransportProvider.NAME);
    }
}
