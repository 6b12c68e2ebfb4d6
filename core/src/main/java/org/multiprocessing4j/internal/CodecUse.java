package org.multiprocessing4j.internal;

import org.multiprocessing4j.Codec;
import org.multiprocessing4j.DefaultCodec;

/**
 * Whether this JVM has a context with a codec other than {@link DefaultCodec}. A primitive that
 * frees itself once garbage-collected, if its handle was never Java-serialized (the
 * shared-memory transport's queue), must not trust that test when another codec may have
 * encoded the handle some other way (copying its fields, as Kryo does): such a codec is used
 * only through a {@code Context} made in this JVM, so the first one made says so here.
 */
public final class CodecUse {
    private static volatile boolean otherCodec;

    private CodecUse() {
    }

    /**
     * Notes the codec of a context being made.
     *
     * @param codec the context's codec
     */
    public static void note(Codec codec) {
        if (!(codec instanceof DefaultCodec)) {
            otherCodec = true;
        }
    }

    /** {@return true if every context made in this JVM so far encodes with {@link DefaultCodec}} */
    public static boolean onlyDefaultCodec() {
        return !otherCodec;
    }
}
