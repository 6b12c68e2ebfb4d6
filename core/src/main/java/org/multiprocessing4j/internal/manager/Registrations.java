package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.ManagerFactory;

/**
 * The types registered with a manager, by class name: each an interface whose calls run in the
 * server, with the factory that makes its objects (none for a type that is only returned by
 * other methods). Travels to the server process when the manager starts.
 */
public final class Registrations implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A registered type. */
    private record Entry(Class<?> type, @Nullable ManagerFactory<?> factory) implements Serializable {
    }

    private final LinkedHashMap<String, Entry> types = new LinkedHashMap<>();

    /** No type registered yet. */
    public Registrations() {
    }

    /**
     * Registers a type.
     *
     * @param type    an interface
     * @param factory its factory, or null when objects of it are only returned by methods
     * @throws IllegalArgumentException if {@code type} is not an interface, or is registered already
     */
    public void add(Class<?> type, @Nullable ManagerFactory<?> factory) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException("a manager proxies interfaces; " + type.getName()
                    + " is a class: register the interface its objects implement");
        }
        if (types.containsKey(type.getName())) {
            throw new IllegalArgumentException(type.getName() + " is registered already");
        }
        types.put(type.getName(), new Entry(type, factory));
    }

    /**
     * {@return whether it is registered: a method declared to return it returns a proxy}
     *
     * @param type a class
     */
    public boolean isRegistered(Class<?> type) {
        Entry e = types.get(type.getName());
        return e != null && e.type() == type;
    }

    /**
     * {@return its type, or null if none of that name is registered}
     *
     * @param name a class name
     */
    public @Nullable Class<?> type(String name) {
        Entry e = types.get(name);
        return e == null ? null : e.type();
    }

    /**
     * {@return its factory, or null if it has none or is not registered}
     *
     * @param name a class name
     */
    public @Nullable ManagerFactory<?> factory(String name) {
        Entry e = types.get(name);
        return e == null ? null : e.factory();
    }

    /** {@return the registered names, in registration order} */
    public Map<String, Class<?>> types() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        types.forEach((name, e) -> m.put(name, e.type()));
        return m;
    }
}
