package org.multiprocessing4j.internal.broker;

/** Process addresses are identities: {@code ""} for the root, {@code "1:2"} for Process-1:2. */
public final class Addresses {
    private Addresses() {
    }

    /**
     * @param ancestor an address
     * @param address  another address
     * @return true if {@code address} is {@code ancestor} or one of its descendants
     */
    public static boolean isSelfOrDescendant(String ancestor, String address) {
        if (ancestor.isEmpty() || ancestor.equals(address)) {
            return true;
        }
        return address.startsWith(ancestor) && address.length() > ancestor.length()
                && address.charAt(ancestor.length()) == ':';
    }

    /**
     * @param self   this process's address
     * @param target a strict descendant of {@code self}
     * @return the address of the child of {@code self} on the way to {@code target}
     */
    public static String nextHop(String self, String target) {
        int start = self.isEmpty() ? 0 : self.length() + 1;
        int end = target.indexOf(':', start);
        return end < 0 ? target : target.substring(0, end);
    }
}
