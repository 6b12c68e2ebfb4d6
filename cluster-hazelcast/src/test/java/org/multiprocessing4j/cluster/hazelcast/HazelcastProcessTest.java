package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.tck.ProcessKit;

class HazelcastProcessTest extends ProcessKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }

    @Test
    @DisplayName("a host named on the one-machine cluster (no agents) is refused at once, saying how to join agents; no JVM starts")
    void hostWithoutAgents() {
        Process p = context().toBuilder().host("elsewhere.example").build().process(() -> { });
        ProcessStartException e = assertThrows(ProcessStartException.class, p::start);
        assertTrue(e.getMessage().contains("host elsewhere.example") && e.getMessage().contains("has no agents")
                && e.getMessage().contains(ClusterSettings.MEMBERS), e.getMessage());
        assertNull(p.pid());
    }
}
