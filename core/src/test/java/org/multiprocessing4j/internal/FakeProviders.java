package org.multiprocessing4j.internal;

import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.spi.Transport;
import org.multiprocessing4j.spi.TransportProvider;

/** Providers for the selection tests; two are listed in this module's test META-INF/services. */
final class FakeProviders {
    private FakeProviders() {
    }

    record Fake(String name, int priority, @Nullable String unavailabilityCause) implements TransportProvider {
        @Override
        public Transport create() {
            return new Transport() { };
        }
    }

    /** Listed in META-INF/services: loads fine. */
    public static final class Good implements TransportProvider {
        /** For ServiceLoader. */
        public Good() {
        }

        @Override
        public String name() {
            return "fake-good";
        }

        @Override
        public int priority() {
            return -100;
        }

        @Override
        public @Nullable String unavailabilityCause() {
            return null;
        }

        @Override
        public Transport create() {
            return new Transport() { };
        }
    }

    /** Listed in META-INF/services: its constructor fails, which must not hide the others. */
    public static final class Broken implements TransportProvider {
        /** For ServiceLoader; always fails. */
        public Broken() {
            throw new IllegalStateException("fake-broken cannot be constructed");
        }

        @Override
        public String name() {
            return "fake-broken";
        }

        @Override
        public int priority() {
            return 100;
        }

        @Override
        public @Nullable String unavailabilityCause() {
            return null;
        }

        @Override
        public Transport create() {
            return new Transport() { };
        }
    }
}
