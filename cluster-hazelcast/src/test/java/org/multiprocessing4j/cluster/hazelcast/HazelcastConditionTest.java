package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Condition;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.tck.ConditionKit;

class HazelcastConditionTest extends ConditionKit {
    @Override
    protected Context context() {
        return ClusterTests.context();
    }

    @Test
    @DisplayName("the kit's conditions are records in the cluster, not core's broker fallback")
    void conditionsAreTheClusters() {
        String made = new Condition().toString();
        assertTrue(made.contains("ClusterCondition[key=condition-"), made);
    }
}
