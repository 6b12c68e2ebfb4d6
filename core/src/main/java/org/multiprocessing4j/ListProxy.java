package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.RandomAccess;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.manager.ProxyCore;

/**
 * A list held by a {@link Manager}'s server: Python's {@code manager.list()} (and, of fixed size
 * and element type, {@code manager.Array()}), as a {@link java.util.List}. Every call is one
 * atomic call to the server; elements are encoded with the context's codec.
 *
 * <p><b>Iteration and views are copies.</b> {@link #iterator()}, {@link #listIterator()},
 * {@link #subList} (and so {@code equals}, {@code hashCode}, {@code toString}, streams) work on a
 * copy of the content taken atomically at the call, as Python's slices do; they cannot change the
 * list. {@link #copy()} returns that copy.
 *
 * <p><b>Functions</b> given to {@link #sort}, {@link #removeIf} and {@link #replaceAll} run in
 * the server, atomically, when they are serializable ({@code Comparator.naturalOrder()} and
 * {@code Comparator.comparing(...)} are). A predicate or operator that is not runs here, one
 * call per element, not atomically; a comparator that is not is refused.
 *
 * <p>The proxy is serializable: passed to another process, it works there on the same list.
 * See {@link ManagedProxy} for references and {@link #close()}.
 *
 * @param <E> the element type
 * @since 0.1
 */
public final class ListProxy<E> extends AbstractList<E> implements ManagedProxy, RandomAccess, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Class<?>[] NONE = {};
    private static final Class<?>[] ONE = {Object.class};
    private static final Class<?>[] INDEX = {int.class};
    private static final Class<?>[] INDEX_ONE = {int.class, Object.class};

    /** The referent in the manager's server. @serial */

    private final ProxyCore core;

    ListProxy(ProxyCore core) {
        this.core = core;
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
    public @Nullable E get(int index) {
        return cast(call("get", INDEX, index));
    }

    @Override
    public @Nullable E set(int index, @Nullable E element) {
        return cast(call("set", INDEX_ONE, index, element));
    }

    @Override
    public boolean add(@Nullable E element) {
        return (Boolean) call("add", ONE, element);
    }

    @Override
    public void add(int index, @Nullable E element) {
        call("add", INDEX_ONE, index, element);
    }

    @Override
    public @Nullable E remove(int index) {
        return cast(call("remove", INDEX, index));
    }

    @Override
    public boolean remove(@Nullable Object o) {
        return (Boolean) call("remove", ONE, o);
    }

    /** Adds every element of {@code c}, in one call. */
    @Override
    public boolean addAll(Collection<? extends E> c) {
        return (Boolean) call("addAll", new Class<?>[] {Collection.class}, new ArrayList<>(c));
    }

    /** Inserts every element of {@code c} at {@code index}, in one call. */
    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        return (Boolean) call("addAll", new Class<?>[] {int.class, Collection.class}, index, new ArrayList<>(c));
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        return (Boolean) call("removeAll", new Class<?>[] {Collection.class}, new ArrayList<>(c));
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        return (Boolean) call("retainAll", new Class<?>[] {Collection.class}, new ArrayList<>(c));
    }

    @Override
    public boolean contains(@Nullable Object o) {
        return (Boolean) call("contains", ONE, o);
    }

    @Override
    public int indexOf(@Nullable Object o) {
        return (Integer) call("indexOf", ONE, o);
    }

    @Override
    public int lastIndexOf(@Nullable Object o) {
        return (Integer) call("lastIndexOf", ONE, o);
    }

    @Override
    public void clear() {
        call("clear", NONE);
    }

    /**
     * Sorts the list in the server.
     *
     * @param c the order, serializable; null for the elements' natural order
     * @throws IllegalArgumentException if {@code c} is not serializable
     */
    @Override
    public void sort(@Nullable Comparator<? super E> c) {
        if (c != null && !(c instanceof Serializable)) {
            throw new IllegalArgumentException("a ListProxy sorts in the manager's server: the comparator ("
                    + c.getClass().getName() + ") must be serializable, e.g. Comparator.comparing(...)");
        }
        call("sort", new Class<?>[] {Comparator.class}, c);
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        if (filter instanceof Serializable) {
            return (Boolean) call("removeIf", new Class<?>[] {Predicate.class}, filter);
        }
        boolean removed = false;
        for (E e : copy()) {
            if (filter.test(e)) {
                removed |= remove(e);
            }
        }
        return removed;
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        if (operator instanceof Serializable) {
            call("replaceAll", new Class<?>[] {UnaryOperator.class}, operator);
            return;
        }
        List<E> now = copy();
        for (int i = 0; i < now.size(); i++) {
            set(i, operator.apply(now.get(i)));
        }
    }

    /** {@return an iterator over a copy of the content; it cannot change the list} */
    @Override
    public Iterator<E> iterator() {
        return Collections.unmodifiableList(copy()).iterator();
    }

    /** {@return a list iterator over a copy of the content; it cannot change the list} */
    @Override
    public ListIterator<E> listIterator(int index) {
        return Collections.unmodifiableList(copy()).listIterator(index);
    }

    /** {@return a copy of that part of the content; it cannot change the list} */
    @Override
    public List<E> subList(int fromIndex, int toIndex) {
        return Collections.unmodifiableList(copy().subList(fromIndex, toIndex));
    }

    /**
     * The content now, in one call.
     *
     * @return a new list with the content
     */
    @SuppressWarnings("unchecked") // the list's content is E by construction
    public ArrayList<E> copy() {
        return (ArrayList<E>) core.copy();
    }

    @Override
    public void close() {
        core.close();
    }

    private @Nullable Object call(String method, Class<?>[] types, @Nullable Object... args) {
        return core.callUnchecked(method, types, args);
    }

    @SuppressWarnings("unchecked") // the list's elements are E by construction
    private @Nullable E cast(@Nullable Object value) {
        return (E) value;
    }

    /** {@return the content, as a copy prints it; a proxy of this same object inside prints as {@code [...]}} */
    @Override
    public String toString() {
        return ProxyRecursion.print(core, "[...]", super::toString);
    }

    /** {@return the content's hash, as a copy's; a proxy of this same object inside counts as 0} */
    @Override
    public int hashCode() {
        return ProxyRecursion.hash(core, super::hashCode);
    }
}
