package org.multiprocessing4j;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ClassesNeeded;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.spi.ChildPlacement;

/**
 * For a pool whose workers may run on other hosts (a transport with a {@link ChildPlacement}
 * that {@linkplain ChildPlacement#checksClasses() checks classes}): before a task is queued,
 * asks the placement whether each host has the classes the task needs, so that a class missing
 * on a host fails the submission, naming class and host, rather than a worker there. Each
 * function (by its number in the pool) is checked once, when first seen. An argument is checked
 * once per class where its class fixes what it needs ({@link ClassesNeeded#fixedByClass}: a
 * record of numbers and strings); any other (a list, a map, a class with an {@code Object}
 * field) is looked through every time, since the next one may hold a class the last did not,
 * and only the classes not yet found on every host are asked about. The placement keeps what
 * each host answered.
 */
final class PoolClassCheck {
    /** Bounds the memory of what was checked; past it, checks start afresh. */
    private static final int MAX_REMEMBERED = 4096;
    private final ChildPlacement placement;
    private final @Nullable String host;
    private final Set<Long> functionsChecked = ConcurrentHashMap.newKeySet();
    private final Set<Class<?>> argumentClassesChecked = ConcurrentHashMap.newKeySet();
    /** Classes found on every host the pool may use. */
    private final Set<String> namesFound = ConcurrentHashMap.newKeySet();

    PoolClassCheck(ChildPlacement placement, @Nullable String host) {
        this.placement = placement;
        this.host = host;
    }

    /** {@return the check for a pool of this context, or null where every worker runs here} */
    static @Nullable PoolClassCheck of(Context context) {
        ChildPlacement placement = ProcessRuntime.current().transport().placement();
        return mayBeElsewhere(placement) ? new PoolClassCheck(placement, context.host()) : null;
    }

    /** {@return whether a pool's workers may run on other hosts, with other class paths} */
    static boolean workersMayBeElsewhere() {
        return mayBeElsewhere(ProcessRuntime.current().transport().placement());
    }

    private static boolean mayBeElsewhere(@Nullable ChildPlacement placement) {
        return placement != null && placement.checksClasses();
    }

    /**
     * @param function    the task's function
     * @param functionRef its number in the pool
     * @param arguments   the task's arguments
     * @throws CodecException naming the classes missing and the hosts they are missing on
     */
    void check(Object function, long functionRef, List<?> arguments) {
        Set<String> needed = new TreeSet<>();
        boolean newFunction = !functionsChecked.contains(functionRef);
        if (newFunction) {
            needed.addAll(ClassesNeeded.of(function));
        }
        Set<Class<?>> newClasses = new java.util.HashSet<>();
        for (Object argument : arguments) {
            if (argument == null || argumentClassesChecked.contains(argument.getClass())) {
                continue;
            }
            boolean fixed = ClassesNeeded.fixedByClass(argument.getClass());
            if (!fixed || newClasses.add(argument.getClass())) {
                needed.addAll(ClassesNeeded.of(argument));
            }
        }
        needed.removeAll(namesFound);
        if (!needed.isEmpty()) {
            Map<String, Set<String>> missing = placement.missingClasses(host, needed);
            if (!missing.isEmpty()) {
                throw new CodecException(describe(missing));
            }
        }
        if (functionsChecked.size() + argumentClassesChecked.size() + namesFound.size() > MAX_REMEMBERED) {
            functionsChecked.clear();
            argumentClassesChecked.clear();
            namesFound.clear();
        }
        if (newFunction) {
            functionsChecked.add(functionRef);
        }
        argumentClassesChecked.addAll(newClasses);
        namesFound.addAll(needed);
    }

    private static String describe(Map<String, Set<String>> missing) {
        StringBuilder b = new StringBuilder("the task cannot run on every host its pool's workers may use: ");
        String sep = "";
        for (Map.Entry<String, Set<String>> e : new java.util.TreeMap<>(missing).entrySet()) {
            b.append(sep).append("host ").append(e.getKey()).append(" lacks ")
                    .append(e.getValue().size() == 1 ? "class " : "classes ").append(String.join(", ", e.getValue()));
            sep = "; ";
        }
        return b.append(" (each host's agent, and so its workers, must have the program's classes on its class path)")
                .toString();
    }
}
