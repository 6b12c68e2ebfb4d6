package org.multiprocessing4j.spi;

import org.multiprocessing4j.internal.broker.OnBehalf;

/**
 * What a backend's serialized form may need from core.
 *
 * @since 0.1
 */
public final class Handles {
    private Handles() {
    }

    /**
     * {@return what a backend should be serialized as}: itself, except while a manager encodes
     * it for one of its clients, which may be a JVM outside this process tree (a remote
     * manager's client); then a proxy through which that client calls the backend in the
     * manager's process. Call it from the backend's {@code writeReplace()} when the backend works
     * only among the processes of one tree, as the broker's and the {@code hazelcast}
     * transport's do; a backend that any process can attach by itself (shared memory by name)
     * has no need to.
     *
     * @param backend the backend being serialized
     */
    public static Object forClient(Object backend) {
        return OnBehalf.export(backend);
    }
}
