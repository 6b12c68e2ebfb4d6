package org.multiprocessing4j.ipc.pipe;

import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.Transport;
import org.multiprocessing4j.spi.TransportProvider;

/**
 * The {@code pipe} transport: everything travels over each child's stdin and stdout, real
 * anonymous OS pipes, the control link that core opens for every child anyway. It needs
 * nothing from the machine, so it is always available, and it has the lowest priority: it is
 * the transport of last resort, chosen when nothing faster is on the class path.
 *
 * @since 0.1
 */
public final class PipeTransportProvider implements TransportProvider {
    /** The name users select it by. */
    public static final String NAME = "pipe";

    /** Called by {@link java.util.ServiceLoader}. */
    public PipeTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public @Nullable String unavailabilityCause() {
        return null;
    }

    @Override
    public Transport create() {
        return new PipeTransport();
    }
}
