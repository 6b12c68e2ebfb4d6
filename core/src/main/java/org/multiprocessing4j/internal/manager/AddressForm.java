package org.multiprocessing4j.internal.manager;

import java.io.Serial;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;

/**
 * A socket address as it travels to and from a manager's server process: plain strings, since
 * the codec's filter rightly refuses {@code java.net} classes (a decoded
 * {@link InetSocketAddress} may resolve host names).
 *
 * @param host the TCP host's literal address, or the Unix domain socket's path
 * @param port the TCP port; -1 for a Unix domain socket
 */
public record AddressForm(String host, int port) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * {@return its form}
     *
     * @param address a TCP or Unix domain socket address
     * @throws IllegalArgumentException for any other kind
     */
    public static AddressForm of(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return new AddressForm(unix.getPath().toString(), -1);
        }
        if (address instanceof InetSocketAddress inet) {
            return new AddressForm(inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString(),
                    inet.getPort());
        }
        throw new IllegalArgumentException("a manager serves at a TCP or Unix domain socket address, not a "
                + address.getClass().getName());
    }

    /**
     * {@return the address again}
     *
     * @throws IllegalArgumentException if the host does not resolve
     */
    public SocketAddress address() {
        if (port < 0) {
            return UnixDomainSocketAddress.of(host);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }
}
