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
     * Whether what any value of {@code type} needs is known from the class alone
     * ({@link #ofClass}): then a check of the class holds for all its values. True for
     * primitives, {@code String}, the boxes, {@code BigInteger}, {@code BigDecimal},
     * {@code UUID}, the value classes of {@code java.time}, enums, arrays of such final types,
     * and classes outside the JDK that are final (records among them), {@code Serializable} but
     * not {@code Externalizable}, without a {@code writeObject}, {@code writeReplace} or
     * {@code serialPersistentFields} of their own, extending {@code Object} or {@code Record},
     * whose serialized fields are all of such types and final classes. A collection is not: the
     * next list may hold a class the last one did not.
     *
     * @param type a value's class
     * @return whether the classes a value needs follow from its class alone
     */
    public static boolean fixedByClass(Class<?> type) {
        return FIXED.get(type) != null;
    }

    /**
     * {@return the binary names of the classes, outside the JDK, that decoding any value of
     * {@code type} may need: the class and, through its fields, every class a value of it can
     * hold, whether a given value holds it or has null there}
     *
     * @param type a class for which {@link #fixedByClass} is true
     * @throws IllegalArgumentException if it is not
     */
    public static Set<String> ofClass(Class<?> type) {
        Set<String> names = FIXED.get(type);
        if (names == null) {
            throw new IllegalArgumentException(type.getName() + "'s values may need classes its class does not say");
        }
        return names;
    }

    /** Per class: the names it may need, or null where its values may need others. */
    private static final ClassValue<@Nullable Set<String>> FIXED = new ClassValue<>() {
        @Override
        protected @Nullable Set<String> computeValue(Class<?> type) {
            Set<String> names = new TreeSet<>();
            return fixed(type, new java.util.HashSet<>(), names) ? Set.copyOf(names) : null;
        }
    };

    private static final Set<Class<?>> FIXED_JDK = Set.of(String.class, Boolean.class, Character.class, Byte.class,
            Short.class, Integer.class, Long.class, Float.class, Double.class, java.math.BigInteger.class,
            java.math.BigDecimal.class, java.util.UUID.class, java.time.Duration.class, java.time.Instant.class,
            java.time.LocalDate.class, java.time.LocalTime.class, java.time.LocalDateTime.class,
            java.time.OffsetTime.class, java.time.OffsetDateTime.class, java.time.ZonedDateTime.class,
            java.time.ZoneOffset.class, java.time.Period.class, java.time.Year.class, java.time.YearMonth.class,
            java.time.MonthDay.class);

    private static boolean fixed(Class<?> type, Set<Class<?>> seen, Set<String> names) {
        while (type.isArray()) {
            type = type.getComponentType();
            if (!type.isPrimitive() && !java.lang.reflect.Modifier.isFinal(type.getModifiers()) && !type.isEnum()) {
                return false; // an Object[] may hold anything
            }
        }
        if (type.isPrimitive() || FIXED_JDK.contains(type)) {
            return true;
        }
        ClassLoader l = type.getClassLoader();
        boolean jdk = l == null || l == ClassLoader.getPlatformClassLoader();
        if (Enum.class.isAssignableFrom(type)) {
            if (!jdk) {
                // a constant with a body is a subclass; what travels is the enum's own class
                names.add((type.isEnum() ? type : type.getSuperclass()).getName());
            }
            return true;
        }
        if (jdk) {
            return false;
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
        names.add(type.getName());
        for (java.lang.reflect.Field f : type.getDeclaredFields()) {
            int m = f.getModifiers();
            if (java.lang.reflect.Modifier.isStatic(m) || java.lang.reflect.Modifier.isTransient(m)) {
                continue;
            }
            Class<?> ft = f.getType();
            boolean exact = ft.isPrimitive() || ft.isArray() || ft.isEnum()
                    || java.lang.reflect.Modifier.isFinal(ft.getModifiers());
            if (!exact || !fixed(ft, seen, names)) {
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
