package org.multiprocessing4j.spi;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A child JVM to start on another host. The placement supplies what only that host knows: its
 * {@code java} binary and its class path (the same classes must be there: Java has no remote
 * class loading), and any system properties its transport needs there. The JVM's stdout carries
 * the control link and its stdin is its lifeline, so both must reach this process unchanged.
 *
 * @param name        the child's name, for messages
 * @param jvmOptions  the JVM options and system properties, in order, without a class path
 * @param mainClass   the class to run
 * @param environment environment variables to set on top of the host's
 * @param host        the host the context names, or null for the placement's choice
 * @since 0.1
 */
public record JvmRequest(String name, List<String> jvmOptions, String mainClass, Map<String, String> environment,
                         @Nullable String host) {
    /** Copies the lists. */
    public JvmRequest {
        jvmOptions = List.copyOf(jvmOptions);
        environment = Map.copyOf(environment);
    }
}
