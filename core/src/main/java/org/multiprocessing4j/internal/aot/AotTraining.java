package org.multiprocessing4j.internal.aot;

import org.multiprocessing4j.internal.ChildWarmup;
import org.multiprocessing4j.spi.TransportProvider;

/**
 * The main class of the training run that makes an AOT cache: a JVM started with the child
 * JVMs' options and {@code -XX:AOTCacheOutput} runs a child's start path on made-up data
 * ({@link ChildWarmup}) often enough for method profiles, then a producer's path, then the
 * training of the transport whose child options it was started with
 * ({@link TransportProvider#trainChildren()}), and exits; the JVM then writes the cache of what
 * was loaded and linked.
 */
public final class AotTraining {
    /** Enough rounds for the JIT's profiles of the start path to mean something. */
    private static final int ROUNDS = 50;
    /** Queue puts for the profiles of a producer's path (about a second of training). */
    private static final int PRODUCER_ITEMS = 200_000;

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
            ChildWarmup.trainProducer(PRODUCER_ITEMS);
        } catch (RuntimeException e) {
            // Profiles only: a cache of the start path is worth making without them.
            System.err.println("multiprocessing4j: the AOT training of a producer's path failed: " + e);
        }
        java.util.List<String> options = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (java.util.ServiceLoader.Provider<TransportProvider> p : java.util.ServiceLoader.load(TransportProvider.class,
                AotTraining.class.getClassLoader()).stream().toList()) {
            try {
                TransportProvider provider = p.get();
                if (trains(provider.childJvmOptions(), options)) {
                    provider.trainChildren();
                }
            } catch (Exception | LinkageError | java.util.ServiceConfigurationError e) {
                // Its classes only: a cache of the start path is worth making without them.
                System.err.println("multiprocessing4j: the AOT training of transport " + p.type().getName()
                        + " failed: " + e);
            }
        }
    }
}
