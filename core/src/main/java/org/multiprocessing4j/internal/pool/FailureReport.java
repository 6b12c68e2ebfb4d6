package org.multiprocessing4j.internal.pool;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.RemoteException;

/**
 * An exception on its way from a worker: encoded whole when the codec can, and always as class
 * name, message and stack trace (with its causes), so that the receiver gets either the
 * exception itself or a {@link RemoteException} standing in for it.
 *
 * @param encoded    the exception encoded by the codec, or null if it could not be
 * @param className  its class
 * @param message    its message
 * @param stackTrace its stack trace, as thrown in the worker
 * @param cause      the same for its cause, or null
 * @param suppressed the same for the exceptions it suppressed (a try-with-resources' close)
 */
public record FailureReport(byte @Nullable [] encoded, String className, @Nullable String message,
                            StackTraceElement[] stackTrace, @Nullable FailureReport cause,
                            FailureReport[] suppressed)
        implements Serializable {
    private static final int MAX_CAUSES = 16;
    /** The most suppressed exceptions reported for one exception. */
    private static final int MAX_SUPPRESSED = 16;

    /**
     * {@return its report}
     *
     * @param t     the exception
     * @param codec the codec to try
     */
    public static FailureReport of(Throwable t, Codec codec) {
        byte[] encoded;
        try {
            encoded = codec.encode(t);
        } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError notEncodable) {
            // a writeObject of the user's may throw anything but the JVM's own troubles
            encoded = null;
        }
        return describe(t, encoded, 0);
    }

    /**
     * The user's exception reports itself through its own methods, which may throw: such a
     * failure is reported in place of what it hid, never let out to kill the worker.
     */
    private static FailureReport describe(Throwable t, byte @Nullable [] encoded, int depth) {
        Throwable cause = ask(t::getCause, e -> null);
        String message = ask(t::getMessage, e -> "(its getMessage() threw " + e + ")");
        StackTraceElement[] trace = ask(t::getStackTrace, e -> new StackTraceElement[0]);
        FailureReport causeReport = cause == null || cause == t || depth >= MAX_CAUSES
                ? null : describe(cause, null, depth + 1);
        Throwable[] suppressed = ask(t::getSuppressed, e -> new Throwable[0]);
        int kept = depth >= MAX_CAUSES || suppressed == null ? 0 : Math.min(suppressed.length, MAX_SUPPRESSED);
        FailureReport[] suppressedReports = new FailureReport[kept];
        for (int i = 0; i < kept; i++) {
            suppressedReports[i] = describe(suppressed[i], null, depth + 1);
        }
        return new FailureReport(encoded, t.getClass().getName(), message, trace, causeReport, suppressedReports);
    }

    /**
     * {@return what a method of the user's exception gives, or {@code otherwise}'s stand-in for
     * what it threw}: anything but the JVM's own troubles
     */
    private static <T> @Nullable T ask(java.util.function.Supplier<@Nullable T> method,
                                       java.util.function.Function<Throwable, @Nullable T> otherwise) {
        try {
            return method.get();
        } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
            return otherwise.apply(e);
        }
    }

    /**
     * {@return the exception, or a stand-in when it does not decode here}
     *
     * @param codec the codec that encoded it
     */
    public Throwable decode(Codec codec) {
        if (encoded != null) {
            try {
                if (codec.decode(encoded) instanceof Throwable t) {
                    return t;
                }
            } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError notDecodable) {
                // a readObject of the user's may throw anything: fall through to the stand-in
            }
        }
        return standIn();
    }

    /**
     * {@return a {@link RemoteException} with this report's class name, message and stack
     * trace, and stand-ins for its cause and the exceptions it suppressed}
     */
    public RemoteException standIn() {
        RemoteException e = new RemoteException(className, message, cause == null ? null : cause.standIn());
        e.setStackTrace(stackTrace);
        for (FailureReport s : suppressed) {
            e.addSuppressed(s.standIn());
        }
        return e;
    }
}
