/**
 * The shared-memory transport: rings and locks in memory-mapped segments.
 */
@NullMarked
package org.multiprocessing4j.ipc.sharedmem;

import org.jspecify.annotations.NullMarked;
