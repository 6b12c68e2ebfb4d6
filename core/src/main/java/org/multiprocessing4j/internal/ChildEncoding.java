package org.multiprocessing4j.internal;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Marks the one encoding of a {@code Process} object for its own child, on the thread that
 * starts it. A {@code Process} may be encoded only then; a proxy of a remote manager carries
 * its authkey only then (as Python's proxies carry theirs only to a process being spawned):
 * the bootstrap frame travels on the child's own stdin, which nothing else reads.
 */
public final class ChildEncoding {
    private static final ThreadLocal<@Nullable Object> FOR = new ThreadLocal<>();

    private ChildEncoding() {
    }

    /**
     * {@return the bytes {@code encode} gives, made while {@code process} counts as encoded for its child}
     *
     * @param process the process whose child the encoding is for
     * @param encode  the encoding
     */
    public static byte[] encode(Object process, Supplier<byte[]> encode) {
        FOR.set(process);
        try {
            return encode.get();
        } finally {
            FOR.remove();
        }
    }

    /**
     * {@return whether the current thread encodes it for its child now}
     *
     * @param process a process
     */
    public static boolean isFor(Object process) {
        return FOR.get() == process;
    }

    /** {@return whether the current thread encodes a target for a child now} */
    public static boolean active() {
        return FOR.get() != null;
    }
}
