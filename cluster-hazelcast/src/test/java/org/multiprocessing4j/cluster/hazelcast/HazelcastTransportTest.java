package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The transport's join in the background, which decoding a handle starts. */
class HazelcastTransportTest {

    @Test
    @DisplayName("starting the join in the background never waits, even while a join holds the transport (a target's handles are decoded meanwhile)")
    void backgroundJoinNeverWaits() throws Exception {
        HazelcastTransport transport = new HazelcastTransport();
        synchronized (transport) { // as node() holds it for the second a join takes
            CompletableFuture<Void> started = CompletableFuture.runAsync(transport::startInBackground);
            started.get(30, TimeUnit.SECONDS); // before the fix it waited for the monitor: a timeout here
            CompletableFuture<Void> again = CompletableFuture.runAsync(transport::startInBackground);
            again.get(30, TimeUnit.SECONDS);
            transport.close(); // the background join then finds the transport closed: nothing joins
        }
        assertThrows(IllegalStateException.class, transport::node, "a closed transport joins nothing");
    }
}
