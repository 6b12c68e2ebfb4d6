/**
 * Internal: what a {@link org.multiprocessing4j.Pool}'s worker processes run, and the messages
 * between a pool and its workers. Not API; it changes without notice.
 */
@NullMarked
package org.multiprocessing4j.internal.pool;

import org.jspecify.annotations.NullMarked;
