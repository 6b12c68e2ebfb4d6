package org.multiprocessing4j.examples;

import java.net.SocketAddress;
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

    static void client(SocketAddress address) throws Exception {
        // The listener's address travels to the child as any value does.
        try (Connection conn = Client.connect(address)) {
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
            SocketAddress address = listener.address();
            Process p = new Process(() -> client(address));
            p.start();
            try (Connection conn = listener.accept()) {
                System.out.println("listener got " + conn.recv());
                conn.send("pong");
                p.join();
            }
        }
    }
}
