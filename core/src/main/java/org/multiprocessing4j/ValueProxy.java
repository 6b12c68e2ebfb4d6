package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.manager.ProxyCore;

/**
 * One value held by a {@link Manager}'s server: Python's {@code manager.Value(typecode, value)}.
 * Unlike {@link Value} (which lives in shared memory and holds numbers), it holds any value the
 * context's codec encodes, and every access is a call to the server. {@code get} and
 * {@code set} are atomic each; a read-modify-write needs a lock (a manager's
 * {@link Manager#lock()}, say), as in Python.
 *
 * <p>The proxy is serializable: passed to another process, it works there on the same value.
 * See {@link ManagedProxy} for references and {@link #close()}.
 *
 * @param <T> the value's type
 * @since 0.1
 */
public final class ValueProxy<T> implements ManagedProxy, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The referent in the manager's server. @serial */

    private final ProxyCore core;

    ValueProxy(ProxyCore core) {
        this.core = core;
    }

    /** {@return the value now (a copy: changing it does not change the server's)} */
    @SuppressWarnings("unchecked") // the value is T by construction
    public @Nullable T get() {
        return (T) core.copy();
    }

    /**
     * Sets the value in the manager's server.
     *
     * @param value the new value, which may be null
     */
    public void set(@Nullable T value) {
        core.callUnchecked("set", new Class<?>[] {Object.class}, value);
    }

    @Override
    public void close() {
        core.close();
    }

    /** {@return Python's form: {@code Value(42)}} */
    @Override
    public String toString() {
        return "Value(" + get() + ")";
    }
}
