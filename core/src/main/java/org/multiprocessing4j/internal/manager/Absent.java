package org.multiprocessing4j.internal.manager;

/**
 * The default a namespace proxy asks for, to tell a missing name from a null value in one
 * call; an enum, so it is the same object after it travels.
 */
public enum Absent {
    /** No value. */
    VALUE
}
