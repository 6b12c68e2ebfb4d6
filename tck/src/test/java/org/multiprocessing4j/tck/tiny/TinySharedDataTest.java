package org.multiprocessing4j.tck.tiny;

import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.tck.SharedDataKit;

class TinySharedDataTest extends SharedDataKit {
    @Override
    protected Context context() {
        return Multiprocessing.getContext(TinyTransportProvider.NAME);
    }
}
