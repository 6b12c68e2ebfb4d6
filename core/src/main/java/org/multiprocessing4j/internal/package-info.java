/**
 * Internal: the process runtime, child launching and the bootstrap of child JVMs. Not API; it
 * changes without notice.
 */
@NullMarked
package org.multiprocessing4j.internal;

import org.jspecify.annotations.NullMarked;
