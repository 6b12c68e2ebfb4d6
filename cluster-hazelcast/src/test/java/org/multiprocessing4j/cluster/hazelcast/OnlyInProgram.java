package org.multiprocessing4j.cluster.hazelcast;

import org.multiprocessing4j.PoolFunction;

/** A class that {@link AgentTest} leaves out of one agent's class path. */
final class OnlyInProgram {
    private OnlyInProgram() {
    }

    /** {@return a function defined here, so that decoding it needs this class} */
    static PoolFunction<Integer, Integer> increment() {
        return x -> x + 1;
    }
}
