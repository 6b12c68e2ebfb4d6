package com.acme;

import java.util.concurrent.atomic.AtomicBoolean;

/** A class whose initialisation is observable: it must never be initialised by a decode. */
public final class Tripwire {
    static {
        Tripwires.TRIPPED.set(true);
    }

    private Tripwire() {}

    /** Holds the flag outside {@link Tripwire}, so reading it does not initialise Tripwire. */
    public static final class Tripwires {
        /** Set when {@link Tripwire} is initialised. */
        public static final AtomicBoolean TRIPPED = new AtomicBoolean();

        private Tripwires() {}
    }
}
