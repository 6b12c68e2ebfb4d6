package org.multiprocessing4j.internal.broker;

/** The kinds of {@code Failure} a reply can carry; the caller maps each to an exception. */
public final class FailureKind {
    /** A blocking call ran out of time. */
    public static final int TIMEOUT = 1;
    /** The caller was interrupted and the owner dropped its call. */
    public static final int CANCELLED = 2;
    /** A non-blocking get found nothing. */
    public static final int EMPTY = 3;
    /** A non-blocking put found no room. */
    public static final int FULL = 4;
    /** The object, or the far end of a pipe, is closed. */
    public static final int CLOSED = 5;
    /** The owner of the object, or the process on the other side, is gone. */
    public static final int GONE = 6;
    /** The call is not allowed in the object's state (releasing an unheld lock, say). */
    public static final int ILLEGAL_STATE = 7;
    /** A barrier is broken. */
    public static final int BROKEN = 8;
    /** No object with that id lives in the owner. */
    public static final int NO_SUCH_OBJECT = 9;
    /** The owner failed while handling the call. */
    public static final int ERROR = 10;
    /** The call, or its answer, was larger than a link on the way reads; nothing else broke. */
    public static final int TOO_LARGE = 11;

    private FailureKind() {
    }
}
