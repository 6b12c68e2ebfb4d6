package org.multiprocessing4j.tck.tiny;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.PoolKit;

class TinyPoolTest extends PoolKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext(TinyTransportProvider.NAME);
    }
}
