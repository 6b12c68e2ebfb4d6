package org.multiprocessing4j.internal.codec;

import org.jspecify.annotations.Nullable;

/**
 * Finds a class by name the way the codec does everywhere: the current thread's context class
 * loader first, then the loader that loaded the codec. Never initialises the class.
 *
 * @since 0.1
 */
public final class ClassResolver {
    private static final ClassLoader CODEC_LOADER = codecLoader();

    private ClassResolver() {}

    /**
     * Loads a class without initialising it.
     *
     * @param name a binary class name, as {@link Class#getName()} returns it
     * @return the class
     * @throws ClassNotFoundException if neither loader finds it
     */
    public static Class<?> load(String name) throws ClassNotFoundException {
        @Nullable ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != CODEC_LOADER) {
            try {
                return Class.forName(name, false, context);
            } catch (ClassNotFoundException e) {
                // not visible there: try the codec's own loader
            }
        }
        return Class.forName(name, false, CODEC_LOADER);
    }

    private static ClassLoader codecLoader() {
        @Nullable ClassLoader loader = ClassResolver.class.getClassLoader();
        return loader != null ? loader : ClassLoader.getSystemClassLoader();
    }
}
