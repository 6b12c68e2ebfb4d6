/**
 * Internal: shared-memory segments (files in /dev/shm or the temp directory, mapped with FFM),
 * the per-tree tracking file that unlinks them when the tree's root exits and lets a later
 * root sweep what a killed one left, and the heap that {@code Value} and {@code Array} take
 * their blocks from. {@link org.multiprocessing4j.internal.shm.SharedMemoryRuntime} is the
 * entry point. Not API; it changes without notice.
 */
@NullMarked
package org.multiprocessing4j.internal.shm;

import org.jspecify.annotations.NullMarked;
