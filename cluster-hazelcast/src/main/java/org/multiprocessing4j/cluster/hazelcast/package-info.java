/**
 * The {@code hazelcast} transport: primitives in a Hazelcast Community Edition cluster, so that
 * processes on several machines share them. {@link org.multiprocessing4j.cluster.hazelcast.ClusterSettings}
 * configures it; {@link org.multiprocessing4j.cluster.hazelcast.Agent} is the member to run on
 * each host. See docs/cluster.md.
 */
@NullMarked
package org.multiprocessing4j.cluster.hazelcast;

import org.jspecify.annotations.NullMarked;
