package org.multiprocessing4j;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.Serial;
import java.io.Serializable;

/**
 * The serial form of a {@link SharedMemory} or a {@link ShareableList}: the segment's name,
 * attached again in the receiver, which gets a mapping of its own.
 *
 * @param name the segment's name
 * @param list whether it holds a {@link ShareableList}
 */
record SegmentByName(String name, boolean list) implements Serializable {
    @Serial
    private Object readResolve() throws InvalidObjectException {
        try {
            return list ? ShareableList.attach(name) : SharedMemory.attach(name);
        } catch (IOException | RuntimeException e) {
            InvalidObjectException failure = new InvalidObjectException("cannot attach " + (list ? "ShareableList" : "shared memory")
                    + " '" + name + "' in " + Multiprocessing.currentProcess().name() + ": " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }
}
