package org.multiprocessing4j.examples;

import java.net.InetSocketAddress;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Listener;
import org.multiprocessing4j.Process;

/**
 * A {@link Listener} in this process and a {@link Client} in a child, Python's
 * {@code multiprocessing.connection}: the two prove the same authkey (the tree's, by default)
 * with HMAC-SHA256, then exchange messages. Any JVM that has the key could connect the same way.
 */
public final class ListenerClientExample {
    private ListenerClientExample() {
    }

    static void client(int port) throws Exception {
        // Addresses travel as a port number: the codec refuses java.net classes.
        try (Connection conn = Client.connect(new InetSocketAddress("127.0.0.1", port))) {
            conn.send("ping");
            System.out.println("client got " + conn.recv());
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws Exception if the listener cannot listen, or interrupted
     */
    public static void main(String[] args) throws Exception {
        try (Listener listener = new Listener()) {       // 127.0.0.1, a free port
            int port = ((InetSocketAddress) listener.address()).getPort();
            Process p = new Process(() -> client(port));
            p.start();
            try (Connection conn = listener.accept()) {
                System.out.println("listener got " + conn.recv());
                conn.send("pong");
                p.join();
            }
        }
    }
}
