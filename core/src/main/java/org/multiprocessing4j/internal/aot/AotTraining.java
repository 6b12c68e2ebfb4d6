package org.multiprocessing4j.internal.aot;

import org.multiprocessing4j.internal.ChildWarmup;

/**
 * The main class of the training run that makes an AOT cache: a JVM started with the child
 * JVMs' options and {@code -XX:AOTCacheOutput} runs a child's start path on made-up data
 * ({@link ChildWarmup}) often enough for method profiles, then exits; the JVM then writes the
 * cache of what was loaded and linked.
 */
public final class AotTraining {
    /** Enough rounds for the JIT's profiles of the start path to mean something. */
    private static final int ROUNDS = 50;
    /** Queue puts for the profiles of a producer's path (about a second of training). */
    private static final int PRODUCER_ITEMS = 200_000;

    private AotTraining() {
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
    }
}
