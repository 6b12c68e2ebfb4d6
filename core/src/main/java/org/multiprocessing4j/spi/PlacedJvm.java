package org.multiprocessing4j.spi;

import org.jspecify.annotations.Nullable;

/**
 * A child JVM that a {@link ChildPlacement} started on another host, seen as a {@link
 * java.lang.Process}: its streams reach the remote JVM's stdin, stdout and stderr, and
 * {@link #exitValue()} is the JDK's (128 + N after signal N). {@link #pid()} is its pid on that
 * host.
 *
 * <p>When the host or its agent is lost before the JVM's exit is known, the JVM counts as ended
 * with {@link #LOST} and {@link #lostReason()} says what happened; it must never leave a waiter
 * waiting. Closing {@link #getOutputStream()} closes the JVM's stdin only.
 *
 * @since 0.1
 */
public abstract class PlacedJvm extends java.lang.Process {
    /**
     * The exit value of a JVM whose host or agent was lost before its end was known: 256, which
     * no exit status and no death by signal can be.
     */
    public static final int LOST = 256;

    /** For subclasses. */
    protected PlacedJvm() {
    }

    /** {@return the host it runs on, as users name it} */
    public abstract String host();

    /**
     * {@return where it runs, in words for messages: by default "host " and {@link #host()}; a
     * placement with several places on one host adds what tells them apart}
     *
     * @since 0.1
     */
    public String where() {
        return "host " + host();
    }

    /** Sends it SIGTERM, leaving its streams open (so its last output still arrives). */
    public abstract void terminate();

    /** Sends it SIGKILL. */
    public abstract void kill();

    /** {@return why its end is unknown (its agent left, the host was lost), or null} */
    public abstract @Nullable String lostReason();

    /** Same as {@link #terminate()}. */
    @Override
    public void destroy() {
        terminate();
    }

    /** Same as {@link #kill()}. */
    @Override
    public java.lang.Process destroyForcibly() {
        kill();
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }
}
