/**
 * JMH micro-benchmarks of the hot paths: the codec, frame encoding and parsing, and queues
 * (the shared-memory ring). Run: {@code benchmarks/run jmh [JMH options]}.
 */
@NullMarked
package org.multiprocessing4j.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
