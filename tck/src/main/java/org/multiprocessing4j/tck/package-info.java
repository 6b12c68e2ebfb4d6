/**
 * Compatibility kits: abstract JUnit tests that every transport runs by extending each kit with one factory method.
 */
@NullMarked
package org.multiprocessing4j.tck;

import org.jspecify.annotations.NullMarked;
