package org.multiprocessing4j.internal.manager;

/** How a manager's {@link ObjectTable} names the holders that are remote clients. */
final class RemoteSessions {
    private static final String PREFIX = "remote:";

    private RemoteSessions() {
    }

    /**
     * @param session a client's session name
     * @return the holder that stands for it
     */
    static String holder(String session) {
        return PREFIX + session;
    }

    /**
     * @param holder a remote client's holder
     * @return its session's name
     */
    static String name(String holder) {
        return holder.substring(PREFIX.length());
    }

    /**
     * @param holder a holder
     * @return whether it is a remote client's session (else it is a process address)
     */
    static boolean isRemote(String holder) {
        return holder.startsWith(PREFIX);
    }
}
