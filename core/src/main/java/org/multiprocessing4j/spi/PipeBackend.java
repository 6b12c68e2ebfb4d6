package org.multiprocessing4j.spi;

/**
 * What {@code Pipe.open} gets: a new pipe's two ends. Only the ends travel to other processes;
 * this object is used once, in the opening process, and need not be serializable.
 *
 * @since 0.1
 */
public interface PipeBackend {

    /** {@return end 0, never null; the same object on every call} */
    ConnectionBackend first();

    /** {@return end 1, never null; the same object on every call} */
    ConnectionBackend second();
}
