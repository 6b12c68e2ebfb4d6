/**
 * Benchmarks: JMH micro-benchmarks and the side-by-side runner against CPython.
 */
@NullMarked
package org.multiprocessing4j.benchmarks;

import org.jspecify.annotations.NullMarked;
