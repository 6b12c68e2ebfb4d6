/**
 * The shared-memory transport: locks, semaphores, events, conditions and barriers as atomic
 * words in segments of {@code /dev/shm}, waiting by {@code futex}; queues as lock-free rings
 * there, with reusable buffers for large items; pipes as a pair of queues. Core's broker only
 * for a bounded queue or a barrier beyond their limits.
 * Only {@link org.multiprocessing4j.ipc.sharedmem.SharedMemTransportProvider} is public.
 */
@NullMarked
package org.multiprocessing4j.ipc.sharedmem;

import org.jspecify.annotations.NullMarked;
