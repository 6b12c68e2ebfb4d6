package org.multiprocessing4j.internal.broker;

/** Process addresses are identities: {@code ""} for the root, {@code "1:2"} for Process-1:2. */
public final class Addresses {
    private static final String OUTSIDE = "!";
    /** Marks the last part of a client's address (process identities are digits only). */
    static final char SESSION = '~';

    private Addresses() {
    }

    /**
     * {@return true if {@code address} is {@code ancestor} or one of its descendants}
     *
     * @param ancestor an address
     * @param address  another address
     */
    public static boolean isSelfOrDescendant(String ancestor, String address) {
        if (ancestor.isEmpty() || ancestor.equals(address)) {
            return true;
        }
        return address.startsWith(ancestor) && address.length() > ancestor.length()
                && address.charAt(ancestor.length()) == ':';
    }

    /**
     * The address in a {@code ProcessGone} that says "every process outside {@code subtree}":
     * what a child whose parent is gone (and which was told to outlive it) must assume.
     *
     * @param subtree the address of the process that lost its parent
     * @return the marker
     */
    public static String outside(String subtree) {
        return OUTSIDE + subtree;
    }

    /**
     * Whether a process is among those a {@code ProcessGone} names.
     *
     * @param gone    the {@code ProcessGone} address: a process (with its descendants), or
     *                {@link #outside(String)} a subtree
     * @param address a process address
     * @return true if that process is gone
     */
    public static boolean isGone(String gone, String address) {
        if (gone.startsWith(OUTSIDE)) {
            return !isSelfOrDescendant(gone.substring(OUTSIDE.length()), address);
        }
        return isSelfOrDescendant(gone, address);
    }

    /**
     * The address of a client that is no process of the tree (a remote manager's), under the
     * address of the process that serves it: see {@link OnBehalf}.
     *
     * @param server the serving process's address
     * @param number the client's number, unique in that process
     * @return the client's address
     */
    public static String session(String server, long number) {
        return (server.isEmpty() ? "" : server + ":") + SESSION + number;
    }

    /**
     * {@return true if {@code other} is {@code self}'s parent or one of its children: the two
     * share a control link, and nothing between them is relayed}
     *
     * @param self  a process's address
     * @param other another address
     */
    public static boolean isNeighbour(String self, String other) {
        // No substrings: this is asked for every post.
        if (self.equals(other)) {
            return false;
        }
        if (isSelfOrDescendant(self, other)) {
            return other.indexOf(':', self.isEmpty() ? 0 : self.length() + 1) < 0;
        }
        int colon = self.lastIndexOf(':');
        return colon < 0 ? !self.isEmpty() && other.isEmpty()
                : other.length() == colon && self.startsWith(other);
    }

    /**
     * {@return the address of the child of {@code self} on the way to {@code target}}
     *
     * @param self   this process's address
     * @param target a strict descendant of {@code self}
     */
    public static String nextHop(String self, String target) {
        int start = self.isEmpty() ? 0 : self.length() + 1;
        int end = target.indexOf(':', start);
        return end < 0 ? target : target.substring(0, end);
    }
}
