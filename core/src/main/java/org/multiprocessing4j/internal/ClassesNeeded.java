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
