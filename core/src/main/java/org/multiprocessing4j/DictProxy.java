package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.manager.ProxyCore;

/**
 * A map held by a {@link Manager}'s server: Python's {@code manager.dict()}, as a
 * {@link java.util.Map}. Every call is one atomic call to the server (keys and values are
 * encoded with the context's codec, so they must be encodable); the map keeps insertion order,
 * as Python's dict does.
 *
 * <p><b>Views are copies.</b> {@link #entrySet()}, {@link #keySet()} and {@link #values()}
 * (and so iteration, {@code equals}, {@code hashCode}, {@code toString}) work on a copy of the
 * content taken atomically at the call, as Python's proxy's {@code keys()} does; they cannot
 * change the map. {@link #copy()} returns that copy.
 *
 * <p><b>Atomic updates.</b> {@code merge}, {@code compute}, {@code computeIfAbsent},
 * {@code computeIfPresent} and {@code replaceAll} run in the server, atomically, when their
 * function is serializable: the overloads taking {@link SerialBiFunction} and
 * {@link SerialFunction} make a lambda so ({@code counts.merge("hits", 1, Integer::sum)}). A
 * function that is not serializable runs here, as {@link Map}'s default methods do: correct,
 * but not atomic across processes.
 *
 * <p>The proxy is serializable: passed to another process, it works there on the same map.
 * See {@link ManagedProxy} for references and {@link #close()}.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @since 0.1
 */
public final class DictProxy<K, V> extends AbstractMap<K, V> implements ManagedProxy, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Class<?>[] NONE = {};
    private static final Class<?>[] ONE = {Object.class};
    private static final Class<?>[] TWO = {Object.class, Object.class};
    private static final Class<?>[] THREE = {Object.class, Object.class, Object.class};

    /** The referent in the manager's server. @serial */

    private final ProxyCore core;

    DictProxy(ProxyCore core) {
        this.core = core;
    }

    /**
     * A {@link BiFunction} that is serializable, so that it can run in the server.
     *
     * @param <T> the first argument's type
     * @param <U> the second argument's type
     * @param <R> the result type
     * @since 0.1
     */
    @FunctionalInterface
    public interface SerialBiFunction<T, U, R> extends BiFunction<T, U, R>, Serializable {
    }

    /**
     * A {@link Function} that is serializable, so that it can run in the server.
     *
     * @param <T> the argument's type
     * @param <R> the result type
     * @since 0.1
     */
    @FunctionalInterface
    public interface SerialFunction<T, R> extends Function<T, R>, Serializable {
    }

    @Override
    public int size() {
        return (Integer) call("size", NONE);
    }

    @Override
    public boolean isEmpty() {
        return (Boolean) call("isEmpty", NONE);
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
        return (Boolean) call("containsKey", ONE, key);
    }

    @Override
    public boolean containsValue(@Nullable Object value) {
        return (Boolean) call("containsValue", ONE, value);
    }

    @Override
    public @Nullable V get(@Nullable Object key) {
        return cast(call("get", ONE, key));
    }

    @Override
    public @Nullable V getOrDefault(@Nullable Object key, @Nullable V defaultValue) {
        return cast(call("getOrDefault", TWO, key, defaultValue));
    }

    @Override
    public @Nullable V put(@Nullable K key, @Nullable V value) {
        return cast(call("put", TWO, key, value));
    }

    @Override
    public @Nullable V putIfAbsent(@Nullable K key, @Nullable V value) {
        return cast(call("putIfAbsent", TWO, key, value));
    }

    @Override
    public @Nullable V remove(@Nullable Object key) {
        return cast(call("remove", ONE, key));
    }

    @Override
    public boolean remove(@Nullable Object key, @Nullable Object value) {
        return (Boolean) call("remove", TWO, key, value);
    }

    @Override
    public boolean replace(@Nullable K key, @Nullable V oldValue, @Nullable V newValue) {
        return (Boolean) call("replace", THREE, key, oldValue, newValue);
    }

    @Override
    public @Nullable V replace(@Nullable K key, @Nullable V value) {
        return cast(call("replace", TWO, key, value));
    }

    /** Puts every entry of {@code m}, in one call. */
    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        call("putAll", new Class<?>[] {Map.class}, new LinkedHashMap<>(m));
    }

    @Override
    public void clear() {
        call("clear", NONE);
    }

    @Override
    public @Nullable V merge(K key, V value, BiFunction<? super V, ? super V, ? extends @Nullable V> remapping) {
        if (remapping instanceof Serializable) {
            return cast(call("merge", new Class<?>[] {Object.class, Object.class, BiFunction.class}, key, value, remapping));
        }
        return super.merge(key, value, remapping);
    }

    /**
     * {@link #merge(Object, Object, BiFunction)} with a function that runs in the server:
     * atomic across processes.
     *
     * @param key       the key
     * @param value     the value to merge in
     * @param remapping how an old value and {@code value} become the new one
     * @return the new value, or null if the entry was removed
     */
    public @Nullable V merge(K key, V value, SerialBiFunction<? super V, ? super V, ? extends @Nullable V> remapping) {
        return merge(key, value, (BiFunction<? super V, ? super V, ? extends @Nullable V>) remapping);
    }

    @Override
    public @Nullable V compute(K key, BiFunction<? super K, ? super @Nullable V, ? extends @Nullable V> remapping) {
        if (remapping instanceof Serializable) {
            return cast(call("compute", new Class<?>[] {Object.class, BiFunction.class}, key, remapping));
        }
        return super.compute(key, remapping);
    }

    /**
     * {@link #compute(Object, BiFunction)} with a function that runs in the server.
     *
     * @param key       the key
     * @param remapping how the old value (or null) becomes the new one
     * @return the new value, or null if there is none
     */
    public @Nullable V compute(K key, SerialBiFunction<? super K, ? super @Nullable V, ? extends @Nullable V> remapping) {
        return compute(key, (BiFunction<? super K, ? super @Nullable V, ? extends @Nullable V>) remapping);
    }

    @Override
    public @Nullable V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends @Nullable V> remapping) {
        if (remapping instanceof Serializable) {
            return cast(call("computeIfPresent", new Class<?>[] {Object.class, BiFunction.class}, key, remapping));
        }
        return super.computeIfPresent(key, remapping);
    }

    /**
     * {@link #computeIfPresent(Object, BiFunction)} with a function that runs in the server.
     *
     * @param key       the key
     * @param remapping how the old value becomes the new one
     * @return the new value, or null if there is none
     */
    public @Nullable V computeIfPresent(K key, SerialBiFunction<? super K, ? super V, ? extends @Nullable V> remapping) {
        return computeIfPresent(key, (BiFunction<? super K, ? super V, ? extends @Nullable V>) remapping);
    }

    @Override
    public @Nullable V computeIfAbsent(K key, Function<? super K, ? extends @Nullable V> mapping) {
        if (mapping instanceof Serializable) {
            return cast(call("computeIfAbsent", new Class<?>[] {Object.class, Function.class}, key, mapping));
        }
        return super.computeIfAbsent(key, mapping);
    }

    /**
     * {@link #computeIfAbsent(Object, Function)} with a function that runs in the server.
     *
     * @param key     the key
     * @param mapping makes the value of a missing key
     * @return the value now, or null if there is none
     */
    public @Nullable V computeIfAbsent(K key, SerialFunction<? super K, ? extends @Nullable V> mapping) {
        return computeIfAbsent(key, (Function<? super K, ? extends @Nullable V>) mapping);
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        if (function instanceof Serializable) {
            call("replaceAll", new Class<?>[] {BiFunction.class}, function);
            return;
        }
        copy().forEach((k, v) -> put(k, function.apply(k, v)));
    }

    /** {@return a copy of the entries, taken atomically; it cannot change the map} */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return Collections.unmodifiableMap(copy()).entrySet();
    }

    /** {@return a copy of the keys, taken atomically; it cannot change the map} */
    @Override
    public Set<K> keySet() {
        return Collections.unmodifiableSet(copy().keySet());
    }

    /** {@return a copy of the values, taken atomically; it cannot change the map} */
    @Override
    public Collection<V> values() {
        return Collections.unmodifiableCollection(copy().values());
    }

    /**
     * Python's {@code copy()}: the content now, in one call.
     *
     * @return a new map with the content, in insertion order
     */
    @SuppressWarnings("unchecked") // the map's content is K, V by construction
    public LinkedHashMap<K, V> copy() {
        return (LinkedHashMap<K, V>) core.copy();
    }

    @Override
    public void close() {
        core.close();
    }

    private @Nullable Object call(String method, Class<?>[] types, @Nullable Object... args) {
        return core.callUnchecked(method, types, args);
    }

    @SuppressWarnings("unchecked") // the map's values are V by construction
    private @Nullable V cast(@Nullable Object value) {
        return (V) value;
    }

    /** {@return the content, as a copy prints it; a proxy of this same object inside prints as {@code {...}}} */
    @Override
    public String toString() {
        return ProxyRecursion.print(core, "{...}", super::toString);
    }

    /** {@return the content's hash, as a copy's; a proxy of this same object inside counts as 0} */
    @Override
    public int hashCode() {
        return ProxyRecursion.hash(core, super::hashCode);
    }
}
