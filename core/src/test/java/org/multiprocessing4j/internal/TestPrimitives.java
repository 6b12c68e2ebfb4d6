package org.multiprocessing4j.internal;

import org.multiprocessing4j.spi.NativePrimitives;

/** Lets tests outside this package replace the transport's native primitives in this JVM. */
public final class TestPrimitives {
    private TestPrimitives() {
    }

    /**
     * {@return what puts the transport's primitives back when closed}
     *
     * @param natives what new primitives come from meanwhile, in this JVM only
     */
    public static AutoCloseable use(NativePrimitives natives) {
        return Primitives.useForTests(natives);
    }
}
