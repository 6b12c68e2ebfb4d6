package org.multiprocessing4j.internal.manager;

/** The operations of a {@code ManagerCall}. */
public final class ManagerOps {
    /** Make an object of a registered type with the factory: type, args. Answers a proxy. */
    public static final int CREATE = 1;
    /** Make a built-in shared object (see {@link BuiltIns}): type is its kind, args. Answers a proxy. */
    public static final int BUILTIN = 2;
    /** Make a process primitive (queue, lock, ...) in the server: type is its kind, args. */
    public static final int PRIMITIVE = 3;
    /** Call a method of a referent: object, method, param types, args. */
    public static final int CALL = 4;
    /** A copy of a built-in referent's content (a map's, a list's, a value's): object. */
    public static final int COPY = 5;
    /** One more reference to a referent held by the caller: object. */
    public static final int INCREF = 6;
    /** One reference fewer: object. The referent goes when no one holds it. */
    public static final int DECREF = 7;
    /** The number of referents held: answers an Integer. */
    public static final int COUNT = 8;
    /** Stop the server after answering. */
    public static final int SHUTDOWN = 9;
    /** Remote connections only, first call: type names the client's session. */
    public static final int HELLO = 10;
    /** Remote connections only: the caller was interrupted; call_id names the call. */
    public static final int CANCEL = 11;

    private ManagerOps() {
    }
}
