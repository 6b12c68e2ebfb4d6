package org.multiprocessing4j.internal;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The classes another JVM must have to decode a value: those Java serialization describes
 * when it writes the value (nothing is kept of the bytes), and for each serializable lambda
 * the class that defined it (which rebuilds it) and its functional interface. Classes of the
 * JDK (boot and platform loaders) are left out: every JVM has them.
 *
 * <p>A value that Java serialization cannot write gives the classes seen up to the failure: the
 * codec reports the failure itself when it encodes the value.
 */
public final class ClassesNeeded {

    private ClassesNeeded() {
    }

    /**
     * {@return the binary names of the classes, outside the JDK, that decoding {@code value} needs}
     *
     * @param value any value
     */
    public static Set<String> of(@Nullable Object value) {
        Set<String> names = new TreeSet<>();
        if (value == null) {
            return names;
        }
        ClassLoader loader = value.getClass().getClassLoader();
        try (Collector out = new Collector(names, loader == null ? ClassLoader.getSystemClassLoader() : loader)) {
            out.writeObject(value);
        } catch (IOException | RuntimeException e) {
            // not serializable this way: the codec says why when it encodes the value
        }
        return names;
    }

    /**
     * Whether every value of {@code type} needs the same classes: then a check of one value
     * holds for all of them. True for primitives, {@code String}, the boxes, {@code BigInteger},
     * {@code BigDecimal}, {@code UUID}, the final classes of {@code java.time}, enums, arrays of
     * such final types, and classes outside the JDK that are final (records among them),
     * {@code Serializable} but not {@code Externalizable}, without a {@code writeObject} or
     * {@code writeReplace} of their own, extending {@code Object}, {@code Record} or
     * {@code Enum}, whose serialized fields are all of such types and final classes. A
     * collection is not: the next list may hold a class the last one did not.
     *
     * @param type a value's class
     * @return whether the classes a value needs follow from its class alone
     */
    public static boolean fixedByClass(Class<?> type) {
        return FIXED.get(type);
    }

    private static final ClassValue<Boolean> FIXED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return fixed(type, new java.util.HashSet<>());
        }
    };

    private static final Set<Class<?>> FIXED_JDK = Set.of(String.class, Boolean.class, Character.class, Byte.class,
            Short.class, Integer.class, Long.class, Float.class, Double.class, java.math.BigInteger.class,
            java.math.BigDecimal.class, java.util.UUID.class);

    private static boolean fixed(Class<?> type, Set<Class<?>> seen) {
        while (type.isArray()) {
            type = type.getComponentType();
            if (!type.isPrimitive() && !java.lang.reflect.Modifier.isFinal(type.getModifiers()) && !type.isEnum()) {
                return false; // an Object[] may hold anything
            }
        }
        if (type.isPrimitive() || FIXED_JDK.contains(type) || Enum.class.isAssignableFrom(type)) {
            return true;
        }
        ClassLoader l = type.getClassLoader();
        if (l == null || l == ClassLoader.getPlatformClassLoader()) {
            return type.getPackageName().equals("java.time") && java.lang.reflect.Modifier.isFinal(type.getModifiers());
        }
        if (!seen.add(type)) {
            return true; // a class reached again through its own fields: decided where it began
        }
        if (!java.lang.reflect.Modifier.isFinal(type.getModifiers()) || !java.io.Serializable.class.isAssignableFrom(type)
                || java.io.Externalizable.class.isAssignableFrom(type)
                || (type.getSuperclass() != Object.class && type.getSuperclass() != Record.class)
                || declares(type, "writeObject", java.io.ObjectOutputStream.class) || declares(type, "writeReplace")
                || declaresField(type, "serialPersistentFields")) {
            return false;
        }
        for (java.lang.reflect.Field f : type.getDeclaredFields()) {
            int m = f.getModifiers();
            if (java.lang.reflect.Modifier.isStatic(m) || java.lang.reflect.Modifier.isTransient(m)) {
                continue;
            }
            Class<?> ft = f.getType();
            boolean exact = ft.isPrimitive() || ft.isArray() || ft.isEnum()
                    || java.lang.reflect.Modifier.isFinal(ft.getModifiers());
            if (!exact || !fixed(ft, seen)) {
                return false;
            }
        }
        return true;
    }

    private static boolean declaresField(Class<?> type, String name) {
        try {
            type.getDeclaredField(name);
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    private static boolean declares(Class<?> type, String name, Class<?>... parameters) {
        try {
            type.getDeclaredMethod(name, parameters);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Writes to nowhere, noting each class it describes. */
    private static final class Collector extends ObjectOutputStream {
        private final Set<String> names;
        private final ClassLoader loader;

        Collector(Set<String> names, ClassLoader loader) throws IOException {
            super(OutputStream.nullOutputStream());
            this.names = names;
            this.loader = loader;
            enableReplaceObject(true);
        }

        @Override
        protected void annotateClass(Class<?> cl) {
            note(cl);
        }

        @Override
        protected void annotateProxyClass(Class<?> cl) {
            for (Class<?> i : cl.getInterfaces()) {
                note(i);
            }
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj instanceof SerializedLambda lambda) {
                noteName(lambda.getCapturingClass());
                noteName(lambda.getFunctionalInterfaceClass());
                noteName(lambda.getImplClass());
            }
            return obj;
        }

        private void noteName(String internalName) {
            String name = internalName.replace('/', '.');
            try {
                note(Class.forName(name, false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                names.add(name); // not even here: the other side will not have it either, most likely
            }
        }

        private void note(Class<?> cl) {
            while (cl.isArray()) {
                cl = cl.getComponentType();
            }
            if (cl.isPrimitive()) {
                return;
            }
            ClassLoader l = cl.getClassLoader();
            if (l == null || l == ClassLoader.getPlatformClassLoader()) {
                return;
            }
            names.add(cl.getName());
        }
    }
}
