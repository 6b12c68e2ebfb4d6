/**
 * Python's {@code multiprocessing} for the JVM: {@link org.multiprocessing4j.Process} runs a
 * serializable target in a child JVM, and the types of this package connect processes.
 *
 * <p>Entry points: {@link org.multiprocessing4j.Process} and
 * {@link org.multiprocessing4j.Multiprocessing}.
 */
@NullMarked
package org.multiprocessing4j;

import org.jspecify.annotations.NullMarked;
