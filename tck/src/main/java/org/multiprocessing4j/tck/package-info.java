/**
 * The compatibility kits every transport runs: abstract JUnit test classes, one per primitive,
 * that exercise it between real processes. A transport's test module extends each kit with
 * one factory method, {@link org.multiprocessing4j.tck.TransportKit#context()}; a transport
 * that passes every kit is complete.
 */
@NullMarked
package org.multiprocessing4j.tck;

import org.jspecify.annotations.NullMarked;
