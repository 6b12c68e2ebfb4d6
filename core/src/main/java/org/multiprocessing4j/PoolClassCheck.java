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
 * function (by its number in the pool) is checked once, when first seen. An argument whose class
 * fixes what it needs ({@link ClassesNeeded#fixedByClass}: a record of numbers and strings) is
 * checked once per class, by what the class says its values may hold; any other (a list, a map,
 * a class with an {@code Object} field) is looked through each time it comes, since the next
 * one may hold a class the last did not — except the same object again among the last few
 * looked through (a large argument passed to task after task), which is taken as unchanged.
 * Only classes not found on every host within the last {@value #RECHECK_SECONDS} s are asked
 * about, so an agent that did not answer, or joined since, is asked again. The placement keeps
 * what each host answered.
 */
final class PoolClassCheck {
    /** Bounds the memory of what was checked; past it, checks start afresh. */
    private static final int MAX_REMEMBERED = 4096;
    private final ChildPlacement placement;
    private final @Nullable String host;
    private final Set<Long> functionsChecked = ConcurrentHashMap.newKeySet();
    private final Set<Class<?>> argumentClassesChecked = ConcurrentHashMap.newKeySet();
    /** Classes found on every host the pool may use, forgotten every {@link #RECHECK_SECONDS}. */
    private final Set<String> namesFound = ConcurrentHashMap.newKeySet();
    private static final int RECHECK_SECONDS = 10;
    private volatile long namesFoundSince = System.nanoTime();
    /** The arguments looked through last, by identity, held weakly. */
    private final java.lang.ref.WeakReference<?>[] recent = new java.lang.ref.WeakReference<?>[RECENT];
    private static final int RECENT = 8;
    private int nextRecent;

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
        List<Object> lookedThrough = new java.util.ArrayList<>();
        for (Object argument : arguments) {
            if (argument == null || argumentClassesChecked.contains(argument.getClass())) {
                continue;
            }
            if (ClassesNeeded.fixedByClass(argument.getClass())) {
                if (newClasses.add(argument.getClass())) {
                    needed.addAll(ClassesNeeded.ofClass(argument.getClass()));
                }
            } else if (!recentlyLookedThrough(argument)) {
                needed.addAll(ClassesNeeded.of(argument));
                lookedThrough.add(argument);
            }
        }
        if (System.nanoTime() - namesFoundSince > java.util.concurrent.TimeUnit.SECONDS.toNanos(RECHECK_SECONDS)) {
            namesFound.clear();
            namesFoundSince = System.nanoTime();
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
        synchronized (recent) {
            for (Object a : lookedThrough) {
                recent[nextRecent] = new java.lang.ref.WeakReference<>(a);
                nextRecent = (nextRecent + 1) % RECENT;
            }
        }
    }

    private boolean recentlyLookedThrough(Object argument) {
        synchronized (recent) {
            for (java.lang.ref.WeakReference<?> r : recent) {
                if (r != null && r.get() == argument) {
                    return true;
                }
            }
            return false;
        }
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
