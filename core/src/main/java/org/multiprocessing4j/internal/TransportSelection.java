package org.multiprocessing4j.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.MultiprocessingException;
import org.multiprocessing4j.spi.TransportProvider;

/**
 * Finds transport providers and picks one: a name given by the caller, else the system
 * property {@value #PROPERTY}, else the available provider of highest priority. Every error
 * lists what was found and why each unavailable provider is unavailable.
 */
public final class TransportSelection {
    /** The system property that names a transport when the code does not. */
    public static final String PROPERTY = "multiprocessing4j.transport";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final Map<String, TransportProvider> providers;
    private final List<String> loadFailures;

    private TransportSelection(Map<String, TransportProvider> providers, List<String> loadFailures) {
        this.providers = providers;
        this.loadFailures = loadFailures;
    }

    /**
     * Loads the providers visible to {@code loader}. A provider that fails to load is recorded
     * and skipped; two providers with one name, or a name that is not a plain word, are an error.
     *
     * @param loader where to look
     * @return the providers found
     * @throws MultiprocessingException on duplicate or malformed names
     */
    public static TransportSelection load(ClassLoader loader) {
        Map<String, TransportProvider> found = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        var iterator = ServiceLoader.load(TransportProvider.class, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<TransportProvider> candidate;
            TransportProvider provider;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                candidate = iterator.next();
                provider = candidate.get();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                failures.add(describe(e));
                continue;
            }
            add(found, provider);
        }
        return new TransportSelection(found, failures);
    }

    /**
     * For tests and embedders: a selection over given providers.
     *
     * @param providers the providers
     * @return the selection
     */
    public static TransportSelection of(List<TransportProvider> providers) {
        Map<String, TransportProvider> found = new LinkedHashMap<>();
        providers.forEach(p -> add(found, p));
        return new TransportSelection(found, List.of());
    }

    private static void add(Map<String, TransportProvider> found, TransportProvider provider) {
        String name = provider.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new MultiprocessingException("transport provider " + provider.getClass().getName()
                    + " has the name '" + name + "'; a name is lower case letters, digits and dashes");
        }
        TransportProvider other = found.putIfAbsent(name, provider);
        if (other != null) {
            throw new MultiprocessingException("two transport providers are named '" + name + "': "
                    + other.getClass().getName() + " and " + provider.getClass().getName()
                    + "; remove one of their jars from the class path");
        }
    }

    /**
     * Picks a provider.
     *
     * @param requested a name the code asked for, or null
     * @param property  the value of {@value #PROPERTY}, or null
     * @return the chosen provider, available
     * @throws MultiprocessingException if the named provider is missing or unavailable, or when
     *                                  none was named and none is available
     */
    public TransportProvider select(@Nullable String requested, @Nullable String property) {
        String name = requested != null ? requested : blankToNull(property);
        if (name != null) {
            String origin = requested != null ? "" : " (from the system property " + PROPERTY + ")";
            TransportProvider p = providers.get(name);
            if (p == null) {
                throw new MultiprocessingException("no transport named '" + name + "'" + origin
                        + ": add " + artifactOf(name) + " (or the jar that provides it) to the class path; "
                        + inventory());
            }
            String cause = p.unavailabilityCause();
            if (cause != null) {
                throw new MultiprocessingException("the transport '" + name + "'" + origin
                        + " is not available here: " + cause);
            }
            return p;
        }
        return providers.values().stream()
                .filter(TransportProvider::isAvailable)
                .max(Comparator.comparingInt(TransportProvider::priority)
                        .thenComparing(TransportProvider::name, Comparator.reverseOrder()))
                .orElseThrow(() -> new MultiprocessingException("no multiprocessing4j transport is available:"
                        + " add multiprocessing4j-ipc-pipe (works everywhere), multiprocessing4j-ipc-socket"
                        + " or multiprocessing4j-ipc-sharedmem to the class path; " + inventory()));
    }

    /** {@return the artifact of ours that provides a transport of that name, as a guess for others} */
    private static String artifactOf(String name) {
        return name.equals("hazelcast") ? "multiprocessing4j-cluster-hazelcast" : "multiprocessing4j-ipc-" + name;
    }

    /** {@return the providers found, by name} */
    public Map<String, TransportProvider> providers() {
        return Map.copyOf(providers);
    }

    private String inventory() {
        if (providers.isEmpty() && loadFailures.isEmpty()) {
            return "no provider was found";
        }
        StringBuilder sb = new StringBuilder("found:");
        providers.forEach((name, p) -> {
            String cause = p.unavailabilityCause();
            sb.append(' ').append(name).append(cause == null ? " (available)" : " (unavailable: " + cause + ")")
                    .append(',');
        });
        loadFailures.forEach(f -> sb.append(" a provider that failed to load (").append(f).append("),"));
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage() == null ? e : e.getMessage()));
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            sb.append("; caused by ").append(c);
        }
        return sb.toString();
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
