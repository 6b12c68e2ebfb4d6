package org.multiprocessing4j.internal.manager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The shared objects every manager makes without registration, as the server holds them: a
 * map and a namespace are a synchronized {@link LinkedHashMap} (insertion order, as Python's
 * dict), a list a synchronized {@link ArrayList}, a value an {@link AtomicReference}, an array
 * a {@link FixedArray}. Each call on them is atomic, since the server serves calls on many
 * threads at once.
 */
public final class BuiltIns {
    /** A map: {@code DictProxy}. Args: the initial content (a map) or nothing. */
    public static final String DICT = "dict";
    /** A list: {@code ListProxy}. Args: the initial content (a collection) or nothing. */
    public static final String LIST = "list";
    /** A namespace: {@code NamespaceProxy}. No args. */
    public static final String NAMESPACE = "namespace";
    /** A value: {@code ValueProxy}. Args: the initial value. */
    public static final String VALUE = "value";
    /** A fixed-size typed array: {@code ListProxy}. Args: the element type, the content. */
    public static final String ARRAY = "array";

    private BuiltIns() {
    }

    /**
     * A new built-in referent and the type its calls are resolved against.
     *
     * @param referent the object
     * @param type     the interface or class whose public methods may be called
     */
    record Made(Object referent, Class<?> type) {
    }

    /**
     * {@return the new referent}
     *
     * @param kind one of the kinds above
     * @param args its arguments
     * @throws IllegalArgumentException for an unknown kind or wrong arguments
     */
    static Made make(String kind, @Nullable Object[] args) {
        return switch (kind) {
            case DICT -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                if (args.length > 0) {
                    map.putAll(arg(args, 0, Map.class));
                }
                yield new Made(Collections.synchronizedMap(map), Map.class);
            }
            case NAMESPACE -> new Made(Collections.synchronizedMap(new LinkedHashMap<>()), Map.class);
            case LIST -> {
                List<Object> list = new ArrayList<>();
                if (args.length > 0) {
                    list.addAll(arg(args, 0, Collection.class));
                }
                yield new Made(Collections.synchronizedList(list), List.class);
            }
            case VALUE -> new Made(new AtomicReference<>(args.length == 0 ? null : args[0]), AtomicReference.class);
            case ARRAY -> new Made(new FixedArray(arg(args, 0, Class.class), arg(args, 1, Collection.class)), List.class);
            default -> throw new IllegalArgumentException("no built-in shared object of kind '" + kind + "'");
        };
    }

    /**
     * A copy of a built-in referent's content, taken atomically.
     *
     * @param referent a built-in referent
     * @return a {@link LinkedHashMap}, an {@link ArrayList}, or a value's content
     * @throws IllegalArgumentException if the referent is not a built-in
     */
    static @Nullable Object copy(Object referent) {
        if (referent instanceof AtomicReference<?> value) {
            return value.get();
        }
        if (referent instanceof FixedArray array) {
            return array.copy();
        }
        synchronized (referent) { // the synchronized wrappers' own monitor
            if (referent instanceof Map<?, ?> map) {
                return new LinkedHashMap<>(map);
            }
            if (referent instanceof List<?> list) {
                return new ArrayList<>(list);
            }
        }
        throw new IllegalArgumentException("a " + referent.getClass().getName() + " has no built-in copy");
    }

    @SuppressWarnings("unchecked") // checked: the argument is an instance of the raw type
    private static <T> T arg(@Nullable Object[] args, int index, Class<T> type) {
        if (args.length <= index || !type.isInstance(args[index])) {
            throw new IllegalArgumentException("argument " + index + " must be a " + type.getName());
        }
        return type.cast(args[index]);
    }
}
