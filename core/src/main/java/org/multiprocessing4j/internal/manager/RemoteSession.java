package org.multiprocessing4j.internal.manager;

import java.util.ArrayList;
import java.util.List;

/**
 * One remote client of a manager's server (a JVM that connected, or a process that decoded a
 * proxy of it): its connections, one per client thread, and its names. The table counts its
 * references under {@link #holder}; the objects of the server's router know what it holds
 * under {@link #address}. When its primary connection ends, the session ends: its other
 * connections are stopped first, then everything it held is released.
 *
 * @param holder  how the table names it
 * @param address how the router's objects name it ({@code Addresses.session})
 * @param state   its connections, and whether it has ended; guarded by itself
 */
record RemoteSession(String holder, String address, State state) {

    /** The session's mutable part. */
    static final class State {
        private final List<RemoteConnection> connections = new ArrayList<>();
        private boolean hadPrimary;
        private boolean ended;
    }

    RemoteSession(String holder, String address) {
        this(holder, address, new State());
    }

    /**
     * {@return false if the session has ended (the connection is refused)}
     *
     * @param c a new connection of the session
     */
    boolean add(RemoteConnection c) {
        synchronized (state) {
            if (state.ended) {
                return false;
            }
            state.connections.add(c);
            state.hadPrimary |= c.primary();
            return true;
        }
    }

    /**
     * {@return true if the session is left with no connection and never had its primary one (a
     * client that ended before its primary connection was served): it must end too}
     *
     * @param c a connection that ended on its own
     */
    boolean remove(RemoteConnection c) {
        synchronized (state) {
            state.connections.remove(c);
            return state.connections.isEmpty() && !state.hadPrimary;
        }
    }

    /**
     * Ends the session: no connection is added from now on.
     *
     * @return the connections it still has
     */
    List<RemoteConnection> end() {
        synchronized (state) {
            state.ended = true;
            List<RemoteConnection> left = List.copyOf(state.connections);
            state.connections.clear();
            return left;
        }
    }
}
