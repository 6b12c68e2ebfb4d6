/**
 * The socket transport: Netty over loopback TCP or Unix domain sockets.
 */
@NullMarked
package org.multiprocessing4j.ipc.socket;

import org.jspecify.annotations.NullMarked;
