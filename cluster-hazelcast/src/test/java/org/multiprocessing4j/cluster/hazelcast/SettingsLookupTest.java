package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings file: what it sets, what a system property overrides, and the typos it reports. */
@DisplayName("the hazelcast transport's settings file")
class SettingsLookupTest {
    @TempDir
    Path dir;

    private static SettingsLookup lookup(Map<String, String> properties) {
        return SettingsLookup.of(properties::get);
    }

    @Test
    @DisplayName("a file's settings, by short or full name, fill what no system property sets; a property wins")
    void fileFillsTheGaps() throws Exception {
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, """
                # the agents
                members = host1:5701, host2:5702
                multiprocessing4j.hazelcast.clusterName=prod
                port=5801
                minClusterSize=off
                """);
        Map<String, String> props = new HashMap<>(Map.of(ClusterSettings.SETTINGS_FILE, file.toString(),
                ClusterSettings.PORT, "5901"));
        SettingsLookup lookup = lookup(props);
        assertNull(lookup.problem());
        ClusterSettings settings = ClusterSettings.from(lookup);
        assertEquals(List.of("host1:5701", "host2:5702"), settings.members());
        assertEquals("prod", settings.clusterName());
        assertEquals(5901, settings.port(), "the system property wins");
        assertEquals("127.0.0.1", settings.bind(), "a setting in neither takes its default");
        assertEquals("off", lookup.get(ClusterSettings.MIN_CLUSTER_SIZE, "majority"));
        assertEquals(List.of(), ClusterSettings.from(lookup(Map.of())).members(), "no file: the defaults");
    }

    @Test
    @DisplayName("a key that is not a setting, or a file that cannot be read, is a problem that names it")
    void typosAndMissingFilesAreProblems() throws Exception {
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "membrs=host1\nbind=127.0.0.1\n");
        String typo = lookup(Map.of(ClusterSettings.SETTINGS_FILE, file.toString())).problem();
        assertTrue(typo != null && typo.contains("names membrs, which is not a setting") && typo.contains("members"),
                typo);
        String missing = lookup(Map.of(ClusterSettings.SETTINGS_FILE, dir.resolve("nope.properties").toString())).problem();
        assertTrue(missing != null && missing.startsWith("cannot read the settings file ") && missing.contains("nope.properties"),
                missing);
    }
}
