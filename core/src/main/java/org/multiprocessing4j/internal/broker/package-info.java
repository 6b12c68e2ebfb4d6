/**
 * Internal: core's broker, the default implementation of every primitive over links. Objects
 * (queues, locks, ...) live in the process that created them, their owner; other processes
 * reach them with {@code Call} frames routed along the process tree and get {@code Reply}
 * frames back. Not API.
 */
@NullMarked
package org.multiprocessing4j.internal.broker;

import org.jspecify.annotations.NullMarked;
