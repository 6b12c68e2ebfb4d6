package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the members' configuration: split-brain protection's minimum")
class ConfigsTest {
    private static final List<String> THREE = List.of("10.0.0.1", "10.0.0.2", "10.0.0.3");

    @AfterEach
    void clear() {
        System.clearProperty(ClusterSettings.MIN_CLUSTER_SIZE);
    }

    @Test
    @DisplayName("by default a majority of three or more listed agents (duplicates counted once), none for fewer")
    void majority() {
        assertEquals(0, Configs.minimumClusterSize(List.of()));
        assertEquals(0, Configs.minimumClusterSize(List.of("10.0.0.1", "10.0.0.2")));
        assertEquals(0, Configs.minimumClusterSize(List.of("10.0.0.1", "10.0.0.2", "10.0.0.2")));
        assertEquals(2, Configs.minimumClusterSize(THREE));
        assertEquals(3, Configs.minimumClusterSize(List.of("a", "b", "c", "d")));
        assertEquals(3, Configs.minimumClusterSize(List.of("a", "b", "c", "d", "e")));
        assertEquals(1, Configs.member("c", "127.0.0.1", 5701, THREE, new Sealer(new byte[] {1}))
                .getSplitBrainProtectionConfigs().size());
        assertEquals(Configs.SPLIT_BRAIN_PROTECTION, Configs.member("c", "127.0.0.1", 5701, THREE,
                new Sealer(new byte[] {1})).getMapConfig(ClusterNode.STATE_MAP).getSplitBrainProtectionName());
    }

    @Test
    @DisplayName("off, a number, or a clear error naming the property")
    void chosen() {
        System.setProperty(ClusterSettings.MIN_CLUSTER_SIZE, "off");
        assertEquals(0, Configs.minimumClusterSize(THREE));
        assertEquals(0, Configs.member("c", "127.0.0.1", 5701, THREE, new Sealer(new byte[] {1}))
                .getSplitBrainProtectionConfigs().size());
        System.setProperty(ClusterSettings.MIN_CLUSTER_SIZE, " 3 ");
        assertEquals(3, Configs.minimumClusterSize(List.of("a", "b")));
        System.setProperty(ClusterSettings.MIN_CLUSTER_SIZE, "most");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Configs.minimumClusterSize(THREE));
        assertTrue(e.getMessage().contains(ClusterSettings.MIN_CLUSTER_SIZE + "=most"), e.getMessage());
    }
}
