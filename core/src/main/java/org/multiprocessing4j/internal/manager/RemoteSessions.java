package org.multiprocessing4j.internal.manager;

/** How a manager's {@link ObjectTable} names the holders that are remote clients. */
final class RemoteSessions {
    private static final String PREFIX = "remote:";

    private RemoteSessions() {
    }

    /**
     * {@return the holder that stands for it}
     *
     * @param session a client's session name
     */
    static String holder(String session) {
        return PREFIX + session;
    }

    /**
     * {@return its session's name}
     *
     * @param holder a remote client's holder
     */
    static String name(String holder) {
        return holder.substring(PREFIX.length());
    }

    /**
     * {@return whether it is a remote client's session (else it is a process address)}
     *
     * @param holder a holder
     */
    static boolean isRemote(String holder) {
        return holder.startsWith(PREFIX);
    }
}
