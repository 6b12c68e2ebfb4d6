package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.manager.Absent;
import org.multiprocessing4j.internal.manager.ProxyCore;

/**
 * Named values held by a {@link Manager}'s server: Python's {@code manager.Namespace()}, whose
 * attributes ({@code ns.x = 1}) become {@link #set set("x", 1)} and {@link #get get("x")}.
 * Each call is one atomic call to the server; values are encoded with the context's codec.
 * As in Python, a value read is a copy: changing a list read from a namespace changes the copy,
 * not the namespace's; set it again.
 *
 * <p>The proxy is serializable: passed to another process, it works there on the same
 * namespace. See {@link ManagedProxy} for references and {@link #close()}.
 *
 * @since 0.1
 */
public final class NamespaceProxy implements ManagedProxy, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Class<?>[] ONE = {Object.class};
    private static final Class<?>[] TWO = {Object.class, Object.class};

    /** The referent in the manager's server. @serial */

    private final ProxyCore core;

    NamespaceProxy(ProxyCore core) {
        this.core = core;
    }

    /**
     * Python's {@code ns.name}.
     *
     * @param name the attribute
     * @param <T>  its type, as the caller expects it
     * @return its value, which may be null
     * @throws NoSuchElementException if the namespace has no such attribute (Python's
     *                                {@code AttributeError})
     */
    @SuppressWarnings("unchecked") // the caller states the type, as with a cast
    public <T> @Nullable T get(String name) {
        Object value = core.callUnchecked("getOrDefault", TWO, Objects.requireNonNull(name, "name"), Absent.VALUE);
        if (value == Absent.VALUE) {
            throw new NoSuchElementException("the namespace has no attribute '" + name + "'");
        }
        return (T) value;
    }

    /**
     * Python's {@code ns.name = value}.
     *
     * @param name  the attribute
     * @param value its new value, which may be null
     */
    public void set(String name, @Nullable Object value) {
        core.callUnchecked("put", TWO, Objects.requireNonNull(name, "name"), value);
    }

    /**
     * {@return whether the namespace has it (Python's {@code hasattr})}
     *
     * @param name the attribute
     */
    public boolean has(String name) {
        return (Boolean) core.callUnchecked("containsKey", ONE, Objects.requireNonNull(name, "name"));
    }

    /**
     * Python's {@code del ns.name}.
     *
     * @param name the attribute
     * @throws NoSuchElementException if the namespace has no such attribute
     */
    public void delete(String name) {
        Object old = core.callUnchecked("getOrDefault", TWO, name, Absent.VALUE);
        if (old == Absent.VALUE || !(Boolean) core.callUnchecked("remove", TWO, name, old)) {
            throw new NoSuchElementException("the namespace has no attribute '" + name + "'");
        }
    }

    /** {@return a copy of every attribute and its value, in the order they were first set} */
    @SuppressWarnings("unchecked") // a namespace's keys are names
    public Map<String, @Nullable Object> toMap() {
        return (LinkedHashMap<String, @Nullable Object>) core.copy();
    }

    @Override
    public void close() {
        core.close();
    }

    /** {@return Python's form: {@code Namespace(a=1, b='x')}, with Java's {@code toString} of each value} */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "Namespace(", ")");
        toMap().forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }
}
