package org.multiprocessing4j.internal.manager;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Objects;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;

/**
 * The server's side of a manager's array (Python's {@code manager.Array(typecode, seq)}): a
 * list of fixed size whose elements are all of one type and never null. Synchronized: the
 * server serves calls on many threads.
 */
final class FixedArray extends AbstractList<Object> implements RandomAccess {
    private final Class<?> type;
    private final Object[] elements;

    /**
     * @param type   the element type; a primitive type means its box
     * @param values the content
     * @throws IllegalArgumentException if an element is null or not of the type
     */
    FixedArray(Class<?> type, Collection<?> values) {
        this.type = box(type);
        this.elements = values.toArray();
        for (int i = 0; i < elements.length; i++) {
            check(i, elements[i]);
        }
    }

    @Override
    public synchronized Object get(int index) {
        Objects.checkIndex(index, elements.length);
        return elements[index];
    }

    @Override
    public synchronized Object set(int index, @Nullable Object element) {
        Objects.checkIndex(index, elements.length);
        check(index, element);
        Object old = elements[index];
        elements[index] = element;
        return old;
    }

    @Override
    public int size() {
        return elements.length;
    }

    @Override
    public void add(int index, @Nullable Object element) {
        throw fixed("add");
    }

    @Override
    public Object remove(int index) {
        throw fixed("remove");
    }

    @Override
    protected void removeRange(int fromIndex, int toIndex) {
        throw fixed("remove");
    }

    private UnsupportedOperationException fixed(String what) {
        return new UnsupportedOperationException("cannot " + what + " elements of a manager's array of "
                + elements.length + " " + type.getSimpleName() + ": its length is fixed, as Python's Array's; set them instead");
    }

    /** {@return a copy of the content} */
    synchronized ArrayList<Object> copy() {
        ArrayList<Object> copy = new ArrayList<>(elements.length);
        for (Object e : elements) {
            copy.add(e);
        }
        return copy;
    }

    private void check(int index, @Nullable Object element) {
        if (!type.isInstance(element)) {
            throw new IllegalArgumentException("an array of " + type.getName() + " cannot hold "
                    + (element == null ? "null" : "a " + element.getClass().getName()) + " (index " + index + ")");
        }
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return java.lang.invoke.MethodType.methodType(type).wrap().returnType();
    }
}
