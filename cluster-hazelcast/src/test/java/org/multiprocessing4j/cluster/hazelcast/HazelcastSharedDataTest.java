package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.Value;
import org.multiprocessing4j.tck.SharedDataKit;

class HazelcastSharedDataTest extends SharedDataKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }

    static void makeAndSend(Queue<Value.OfInt> queue) throws InterruptedException {
        Value.OfInt made = Value.ofInt(11);
        queue.put(made);
        System.out.println("child made " + made.get());
    }

    @Test
    @DisplayName("the kit's values and arrays are records in the cluster, not this host's shared memory")
    void valuesAreTheClusters() {
        Codec codec = context().codec();
        String encoded = new String(codec.encode(Value.ofInt(3)), StandardCharsets.ISO_8859_1);
        assertTrue(encoded.contains(ClusterData.class.getName()), "not kept in the cluster");
    }

    @Test
    @DisplayName("a value whose maker ended is gone, as every cluster primitive of an ended process is: ProcessGoneException, never a stale read")
    void goneWithItsMaker() throws Exception {
        Queue<Value.OfInt> queue = new Queue<>();
        run(() -> makeAndSend(queue));
        Value.OfInt orphan = queue.get(PATIENCE);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String gone = null;
        while (gone == null && System.nanoTime() < deadline) {
            try {
                assertEquals(11, orphan.get(), "a value read before the cluster saw its maker leave");
                Thread.sleep(Duration.ofMillis(200));
            } catch (ProcessGoneException e) {
                gone = e.getMessage();
            }
        }
        assertTrue(gone != null && gone.contains("is gone: its owner"), String.valueOf(gone));
    }
}
