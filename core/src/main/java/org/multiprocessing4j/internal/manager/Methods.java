package org.multiprocessing4j.internal.manager;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the method a call names among the public methods of a referent's exposed type (the
 * registered interface, or a built-in's type), and nowhere else: a call cannot reach what the
 * type does not expose. {@code toString()} is always allowed. Results are cached.
 */
final class Methods {
    private static final Map<String, Class<?>> PRIMITIVES = Map.of(
            "boolean", boolean.class, "byte", byte.class, "char", char.class, "short", short.class,
            "int", int.class, "long", long.class, "float", float.class, "double", double.class);

    private record Key(Class<?> type, String name, List<String> parameterTypes) {
    }

    private final Map<Key, Method> cache = new ConcurrentHashMap<>();

    /**
     * {@return the method, accessible}
     *
     * @param type           the exposed type
     * @param name           the method's name
     * @param parameterTypes the names of its parameter types, as {@link Class#getName()}
     * @throws NoSuchMethodException if the type has no such public method
     */
    Method find(Class<?> type, String name, List<String> parameterTypes) throws NoSuchMethodException {
        Key key = new Key(type, name, List.copyOf(parameterTypes));
        Method m = cache.get(key);
        if (m == null) {
            m = lookUp(type, name, parameterTypes);
            cache.put(key, m);
        }
        return m;
    }

    private static Method lookUp(Class<?> type, String name, List<String> parameterTypes) throws NoSuchMethodException {
        Class<?>[] params = new Class<?>[parameterTypes.size()];
        ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader()
                : Thread.currentThread().getContextClassLoader();
        for (int i = 0; i < params.length; i++) {
            String n = parameterTypes.get(i);
            Class<?> p = PRIMITIVES.get(n);
            if (p == null) {
                try {
                    p = Class.forName(n, false, loader);
                } catch (ClassNotFoundException e) {
                    throw new NoSuchMethodException(type.getName() + "." + name + ": parameter type " + n
                            + " is not on the server's class path");
                }
            }
            params[i] = p;
        }
        Method m;
        if (name.equals("toString") && params.length == 0) {
            m = Object.class.getMethod("toString");
        } else {
            try {
                m = type.getMethod(name, params);
            } catch (NoSuchMethodException e) {
                throw new NoSuchMethodException(type.getName() + " has no public method " + name
                        + "(" + String.join(", ", parameterTypes) + ")");
            }
        }
        try {
            m.setAccessible(true); // a public method of a package-private interface
        } catch (RuntimeException notAllowed) {
            // invoke reports it
        }
        return m;
    }
}
