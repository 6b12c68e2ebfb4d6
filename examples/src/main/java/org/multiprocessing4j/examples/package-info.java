/**
 * Runnable examples, starting with the seed article's five programs; run them with
 * {@code examples/run NAME}, list them with {@code examples/run --list}.
 */
@NullMarked
package org.multiprocessing4j.examples;

import org.jspecify.annotations.NullMarked;
