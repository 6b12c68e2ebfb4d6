/**
 * Internal: the AOT cache of child JVMs (JEP 483, made in one step as JEP 514 allows): where it
 * lives, when it is valid, and the background JVMs that make it. Not API.
 */
@NullMarked
package org.multiprocessing4j.internal.aot;

import org.jspecify.annotations.NullMarked;
