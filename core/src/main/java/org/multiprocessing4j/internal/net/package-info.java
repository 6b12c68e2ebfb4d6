/**
 * Internal: blocking sockets for {@code Listener} and {@code Client}, Python's
 * {@code multiprocessing.connection}: the HMAC-SHA256 handshake both ways, length-prefixed
 * messages on a channel, address checks (loopback unless remote is asked for), and the
 * deadlines that bound a handshake. Not API.
 */
@NullMarked
package org.multiprocessing4j.internal.net;

import org.jspecify.annotations.NullMarked;
