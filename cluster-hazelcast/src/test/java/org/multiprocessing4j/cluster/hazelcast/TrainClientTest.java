package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.spi.TransportProvider;

/** The training of the children's AOT cache, as the training JVM runs it. */
class TrainClientTest {

    @Test
    @DisplayName("the cache's training starts a member and a client on loopback, runs a child's first calls, and leaves no instance or thread of them")
    void trainsAndLeavesNothing() throws Exception {
        Set<HazelcastInstance> members = new HashSet<>(Hazelcast.getAllHazelcastInstances());
        Set<HazelcastInstance> clients = new HashSet<>(HazelcastClient.getAllHazelcastClients());
        TransportProvider provider = new HazelcastTransportProvider();
        assertTrue(provider.childJvmOptions().contains(HazelcastTransportProvider.UNSAFE_MEMORY_ACCESS));
        provider.trainChildren(); // throws if an operation is not answered OK
        assertEquals(members, new HashSet<>(Hazelcast.getAllHazelcastInstances()), "a member was left running");
        assertEquals(clients, new HashSet<>(HazelcastClient.getAllHazelcastClients()), "a client was left running");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains("mp4j-aot-training")),
                "a thread of the training's cluster was left running");
    }
}
