/**
 * The pipe transport: links over each child's stdin and stdout.
 */
@NullMarked
package org.multiprocessing4j.ipc.pipe;

import org.jspecify.annotations.NullMarked;
