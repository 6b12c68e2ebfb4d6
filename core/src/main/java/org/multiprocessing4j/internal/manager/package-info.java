/**
 * Internal: managers. A manager's server process holds shared objects in an
 * {@link org.multiprocessing4j.internal.manager.ObjectTable}; proxies in any process reach
 * them through a {@link org.multiprocessing4j.internal.manager.ServerLink} (the process tree's
 * broker, or authenticated connections for a remote manager) with the calls of
 * {@code manager.proto}. Not API.
 */
@NullMarked
package org.multiprocessing4j.internal.manager;

import org.jspecify.annotations.NullMarked;
