package org.multiprocessing4j.internal.aot;

import org.multiprocessing4j.internal.ChildWarmup;
import org.multiprocessing4j.spi.TransportProvider;

/**
 * The main class of the training run that makes an AOT cache: a JVM started with the child
 * JVMs' options and {@code -XX:AOTCacheOutput} runs a child's start path on made-up data
 * ({@link ChildWarmup}) often enough for method profiles, then a producer's path and a pool
 * worker's ({@link ChildWarmup#trainChild}), then the
 * training of the transport whose child options it was started with
 * ({@link TransportProvider#trainChildren()}), or, when no transport's options are among them,
 * of the transport a child selects by default, and exits; the JVM then writes the cache of
 * what was loaded and linked.
 */
public final class AotTraining {
    /** Enough rounds for the JIT's profiles of the start path to mean something. */
    private static final int ROUNDS = 50;
    /** Queue puts for the profiles of a producer's path (about a second of training). */
    private static final int PRODUCER_ITEMS = 200_000;
    /**
     * Tasks messages for the profiles of a pool worker's path (about 113,000 tasks, a fraction
     * of a second).
     */
    private static final int WORKER_MESSAGES = 20_000;

    private AotTraining() {
    }

    /**
     * {@return whether a transport whose children get {@code childOptions} trains in a JVM
     * started with {@code jvmOptions}: only when it has options and the JVM has them all}
     *
     * @param childOptions the transport's {@code childJvmOptions()}
     * @param jvmOptions   the training JVM's input arguments
     */
    static boolean trains(java.util.List<String> childOptions, java.util.List<String> jvmOptions) {
        return !childOptions.isEmpty() && jvmOptions.containsAll(childOptions);
    }

    /**
     * Runs the start path once, for the JVM to record it.
     *
     * @param args ignored
     * @throws Exception if the start path fails: no cache is then made
     */
    public static void main(String[] args) throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            ChildWarmup.run();
        }
        try {
            ChildWarmup.trainChild(PRODUCER_ITEMS, WORKER_MESSAGES);
        } catch (RuntimeException e) {
            // Profiles only: a cache of the start path is worth making without them.
            System.err.println("multiprocessing4j: the AOT training of a producer's and a worker's paths failed: " + e);
        }
        java.util.List<String> options = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        java.util.List<TransportProvider> providers = new java.util.ArrayList<>();
        for (java.util.ServiceLoader.Provider<TransportProvider> p : java.util.ServiceLoader.load(TransportProvider.class,
                AotTraining.class.getClassLoader()).stream().toList()) {
            try {
                providers.add(p.get());
            } catch (java.util.ServiceConfigurationError | LinkageError e) {
                System.err.println("multiprocessing4j: the AOT training could not load transport " + p.type().getName()
                        + ": " + e);
            }
        }
        boolean trained = false;
        for (TransportProvider provider : providers) {
            if (trains(provider.childJvmOptions(), options)) {
                train(provider);
                trained = true;
            }
        }
        if (!trained) {
            // The cache of children without a transport's options: most of them use the default.
            TransportProvider byDefault = defaultWithoutOptions(providers);
            if (byDefault != null) {
                train(byDefault);
            }
        }
    }

    private static void train(TransportProvider provider) {
        try {
            provider.trainChildren();
        } catch (Exception | LinkageError e) {
            // Its classes only: a cache of the start path is worth making without them.
            System.err.println("multiprocessing4j: the AOT training of transport " + provider.name() + " failed: " + e);
        }
    }

    /**
     * {@return the transport a child without a transport's options selects when none is named:
     * the available one of highest priority among those without child options, or null}
     *
     * @param providers the providers on the class path
     */
    static @org.jspecify.annotations.Nullable TransportProvider defaultWithoutOptions(
            java.util.List<TransportProvider> providers) {
        TransportProvider best = null;
        for (TransportProvider p : providers) {
            try {
                if (p.childJvmOptions().isEmpty() && p.unavailabilityCause() == null
                        && (best == null || p.priority() > best.priority())) {
                    best = p;
                }
            } catch (RuntimeException | LinkageError e) {
                // an unusable provider is not the default
            }
        }
        return best;
    }
}
