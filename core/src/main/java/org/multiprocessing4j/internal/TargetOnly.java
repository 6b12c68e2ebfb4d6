package org.multiprocessing4j.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessTarget;

/**
 * A child's {@link Process} made from its target alone (the bootstrap's {@code target_only}):
 * a plain {@code Process} travels as its {@link ProcessTarget} in the codec's encoding, and its
 * name, identity and daemon flag in the bootstrap's own fields, so a lambda target that the
 * codec has a fast path for decodes without Java serialization. {@code Process}'s constructor
 * for this is not public; {@code Process} hands it over when its class is initialized.
 */
public final class TargetOnly {
    /** Makes the object that stands for the current process, with the target it runs. */
    @FunctionalInterface
    public interface Maker {
        /**
         * {@return the current process's object}
         *
         * @param target   what it runs
         * @param name     its name
         * @param identity its identity
         * @param daemon   its daemon flag
         */
        Process make(ProcessTarget target, String name, String identity, boolean daemon);
    }

    private static volatile @Nullable Maker maker;

    private TargetOnly() {
    }

    /**
     * Called once, by {@code Process}'s class initializer.
     *
     * @param m the maker
     * @throws IllegalStateException if one is registered already
     */
    public static synchronized void register(Maker m) {
        if (maker != null) {
            throw new IllegalStateException("a Process maker is registered already");
        }
        maker = Objects.requireNonNull(m, "m");
    }

    /**
     * {@return whether {@code process} travels as its target alone: a plain {@code Process}
     * (not a subclass, whose fields travel with it) with a target}
     *
     * @param process the process to start
     * @param target  its target, or null when {@code run()} is overridden
     */
    public static boolean applies(Process process, @Nullable ProcessTarget target) {
        return process.getClass() == Process.class && target != null;
    }

    /**
     * {@return the current process's object, made in the child from its decoded target}
     *
     * @param target   what it runs
     * @param name     its name
     * @param identity its identity
     * @param daemon   its daemon flag
     */
    static Process make(ProcessTarget target, String name, String identity, boolean daemon) {
        Maker m = maker;
        if (m == null) {
            try {
                // Process's initializer registers the maker.
                Class.forName(Process.class.getName(), true, Process.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("org.multiprocessing4j.Process is missing", e);
            }
            m = Objects.requireNonNull(maker, "Process registered no maker");
        }
        return m.make(target, name, identity, daemon);
    }
}
