package org.multiprocessing4j.internal.broker;

import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Calls that a process makes to objects it hosts on behalf of a client that is no process of
 * the tree: a remote manager's client, whose calls its server carries out. Inside
 * {@link #run}, such calls come from the client's own address (a pseudo-address under the
 * server's, see {@link Addresses#session}), so the objects keep what the client holds apart
 * from what the server holds, and {@link Router#clientGone} releases it when the client ends;
 * warnings meant for the caller (a lock whose holder died) go to the client, not to this
 * process's {@code System.err}. Objects made inside {@link #run} are the broker's, never a
 * transport's native ones: only the broker's objects know holders by address. And a broker
 * backend encoded for the client ({@link #exporting}: a lock in a map the client reads)
 * becomes what the client can call: its handle would mean nothing outside this tree.
 */
public final class OnBehalf {
    private static final ScopedValue<OnBehalf> CURRENT = ScopedValue.newInstance();
    private static final ScopedValue<UnaryOperator<Object>> EXPORTER = ScopedValue.newInstance();

    private final String address;
    private final Consumer<String> warnings;

    private OnBehalf(String address, Consumer<String> warnings) {
        this.address = address;
        this.warnings = warnings;
    }

    /**
     * Runs {@code op} on behalf of a client.
     *
     * @param address  the client's address
     * @param warnings where warnings for the client go
     * @param op       what to run
     * @param <T>      its result
     * @param <X>      what it throws
     * @return its result
     * @throws X what it throws
     */
    public static <T, X extends Throwable> T run(String address, Consumer<String> warnings,
            ScopedValue.CallableOp<T, X> op) throws X {
        return ScopedValue.where(CURRENT, new OnBehalf(address, warnings)).call(op);
    }

    /**
     * Encodes something for a client: broker backends in it become proxies the client calls
     * this process through.
     *
     * @param exporter turns a backend of this process into such a proxy
     * @param encode   the encoding
     * @param <T>      its result
     * @return its result
     */
    public static <T> T exporting(UnaryOperator<Object> exporter, Supplier<T> encode) {
        return ScopedValue.where(EXPORTER, exporter).call(encode::get);
    }

    /** {@return whether the current thread encodes for a client ({@link #exporting})} */
    public static boolean isExporting() {
        return EXPORTER.isBound();
    }

    /**
     * What a broker backend is encoded as: itself, or a proxy when encoded for a client.
     *
     * @param backend a broker backend being encoded
     * @return what to encode instead
     */
    public static Object export(Object backend) {
        return EXPORTER.isBound() ? EXPORTER.get().apply(backend) : backend;
    }

    /** {@return whether the current thread acts for a client} */
    public static boolean active() {
        return CURRENT.isBound();
    }

    /**
     * {@return the address calls to objects hosted here come from: the client's, or {@code own}}
     *
     * @param own this process's address
     */
    static String caller(String own) {
        return CURRENT.isBound() ? CURRENT.get().address : own;
    }

    /**
     * Tells the caller something it should know: the client when acting for one, else
     * {@code System.err}.
     *
     * @param message the warning
     */
    static void warn(String message) {
        @Nullable OnBehalf current = CURRENT.isBound() ? CURRENT.get() : null;
        String line = "multiprocessing4j: " + message;
        if (current != null) {
            current.warnings.accept(line);
        } else {
            System.err.println(line);
        }
    }
}
