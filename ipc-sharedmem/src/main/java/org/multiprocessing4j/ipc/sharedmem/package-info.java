/**
 * The shared-memory transport: locks, semaphores and events as atomic words in segments of
 * {@code /dev/shm}, waiting by {@code futex}; the other primitives are core's broker for now.
 * Only {@link org.multiprocessing4j.ipc.sharedmem.SharedMemTransportProvider} is public.
 */
@NullMarked
package org.multiprocessing4j.ipc.sharedmem;

import org.jspecify.annotations.NullMarked;
