/**
 * What a transport implements: a {@link org.multiprocessing4j.spi.TransportProvider}, found
 * with {@link java.util.ServiceLoader} under
 * {@code META-INF/services/org.multiprocessing4j.spi.TransportProvider}.
 *
 * <p>Selection, for a context: a name given to
 * {@link org.multiprocessing4j.Multiprocessing#getContext(String)}; else the system property
 * {@code multiprocessing4j.transport}; else the available provider of highest priority. A
 * provider that fails while loading does not stop the others; two providers of one name are
 * an error.
 */
@NullMarked
package org.multiprocessing4j.spi;

import org.jspecify.annotations.NullMarked;
