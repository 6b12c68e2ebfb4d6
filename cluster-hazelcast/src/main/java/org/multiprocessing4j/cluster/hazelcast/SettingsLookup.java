package org.multiprocessing4j.cluster.hazelcast;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where each setting of the transport comes from: its system property when set, else the
 * settings file ({@value ClusterSettings#SETTINGS_FILE}) when one is named, else its default.
 * The file is a {@code .properties} file whose keys are the settings' names with or without
 * the {@code multiprocessing4j.hazelcast.} prefix ({@code members=host1:5701,host2:5701});
 * a key that is not a setting, or a file that cannot be read, is a {@link #problem()} (a typo
 * in a file must not silently leave a default in place).
 */
final class SettingsLookup {
    /** The settings a file may hold, by their short names. */
    static final List<String> KNOWN = List.of("allowRemote", "authkeyFile", "bind", "clusterName", "logLevel", "members",
            "minClusterSize", "port");

    private final Function<String, @Nullable String> system;
    private final Map<String, String> file;
    private final @Nullable String problem;

    private SettingsLookup(Function<String, @Nullable String> system, Map<String, String> file, @Nullable String problem) {
        this.system = system;
        this.file = file;
        this.problem = problem;
    }

    /** {@return the settings of this JVM: its system properties, and the file they name} */
    static SettingsLookup fromSystem() {
        return of(System::getProperty);
    }

    /**
     * {@return the settings that these properties give, with the file they name}
     *
     * @param system the value of a property, or null when it is not set
     */
    static SettingsLookup of(Function<String, @Nullable String> system) {
        String path = system.apply(ClusterSettings.SETTINGS_FILE);
        if (path == null || path.isBlank()) {
            return new SettingsLookup(system, Map.of(), null);
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(path.trim()))) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) { // also InvalidPathException, and a malformed escape
            return new SettingsLookup(system, Map.of(), "cannot read the settings file " + path.trim() + " (-D"
                    + ClusterSettings.SETTINGS_FILE + "): " + e);
        }
        Map<String, String> values = new HashMap<>();
        TreeSet<String> unknown = new TreeSet<>();
        for (String key : p.stringPropertyNames()) {
            String name = key.startsWith(ClusterSettings.PREFIX_HINT) ? key.substring(ClusterSettings.PREFIX_HINT.length())
                    : key;
            if (KNOWN.contains(name)) {
                values.put(name, p.getProperty(key).trim());
            } else {
                unknown.add(key);
            }
        }
        String problem = unknown.isEmpty() ? null : "the settings file " + path.trim() + " names " + String.join(", ", unknown)
                + (unknown.size() == 1 ? ", which is not a setting" : ", which are not settings")
                + " of the hazelcast transport; the settings are " + String.join(", ", KNOWN);
        return new SettingsLookup(system, values, problem);
    }

    /**
     * {@return a setting: its system property when set (not blank), else the file's value, else
     * {@code fallback}}
     *
     * @param property the setting's full property name
     * @param fallback its default
     */
    String get(String property, String fallback) {
        String set = system.apply(property);
        if (set != null && !set.isBlank()) {
            return set.trim();
        }
        String name = property.startsWith(ClusterSettings.PREFIX_HINT) ? property.substring(ClusterSettings.PREFIX_HINT.length())
                : property;
        String inFile = file.get(name);
        return inFile != null ? inFile : fallback;
    }

    /** {@return what is wrong with the settings file, or null (also when there is none)} */
    @Nullable String problem() {
        return problem;
    }
}
