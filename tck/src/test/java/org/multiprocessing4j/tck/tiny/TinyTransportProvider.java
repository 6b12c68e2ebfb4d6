package org.multiprocessing4j.tck.tiny;

import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.Transport;
import org.multiprocessing4j.spi.TransportProvider;

/**
 * Step 1 of docs/writing-a-transport.md: the provider that {@link java.util.ServiceLoader}
 * finds through {@code META-INF/services/org.multiprocessing4j.spi.TransportProvider}. Its
 * priority is below {@code pipe}'s, so it is used only when named.
 */
public final class TinyTransportProvider implements TransportProvider {
    /** The name it is selected by: {@code Multiprocessing.getContext("tiny")}. */
    public static final String NAME = "tiny";

    /** Called by {@link java.util.ServiceLoader}. */
    public TinyTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public @Nullable String unavailabilityCause() {
        return null;                      // plain TCP on loopback works everywhere
    }

    @Override
    public Transport create() {
        return new TinyTransport();
    }
}
