package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/** Registered types for the manager tests; their objects live in the manager's server. */
final class ManagedTypes {
    private ManagedTypes() {
    }

    /** A counter in the server. */
    interface Counter {
        int increment();

        int get();

        /** @return a child counter, itself a proxy */
        Counter child();

        /** @param millis how long to sleep in the server */
        void sleep(long millis) throws InterruptedException;

        /** @param message what the server throws */
        void fail(String message);

        /** @return a value that cannot travel */
        Object unencodable();

        /** @return the name of the server process */
        String where();
    }

    static final class CounterImpl implements Counter {
        private final AtomicInteger value;
        private CounterImpl child;

        CounterImpl(int start) {
            this.value = new AtomicInteger(start);
        }

        @Override
        public int increment() {
            return value.incrementAndGet();
        }

        @Override
        public int get() {
            return value.get();
        }

        @Override
        public synchronized Counter child() {
            if (child == null) {
                child = new CounterImpl(100);
            }
            return child;
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }

        @Override
        public void fail(String message) {
            throw new IllegalArgumentException(message);
        }

        @Override
        public Object unencodable() {
            return new Object();
        }

        @Override
        public String where() {
            return Multiprocessing.currentProcess().name();
        }

        @Override
        public String toString() {
            return "CounterImpl(" + value.get() + ")";
        }
    }

    /** Not serializable on purpose. */
    static final class Opaque {
    }

    /** A serializable record. */
    record Point(int x, int y) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }
}
