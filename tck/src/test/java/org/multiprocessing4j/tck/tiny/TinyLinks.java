package org.multiprocessing4j.tck.tiny;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Listener;
import org.multiprocessing4j.spi.Links;

/**
 * Step 3: links between processes, over core's own {@link Listener} and {@link Client}. They
 * already do what the SPI asks of a link's setup: TCP on loopback, and an HMAC-SHA256
 * challenge both ways with the tree's authkey before any frame is read. What is left is
 * moving frames, done by {@link TinyLink}.
 */
final class TinyLinks implements Links {
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(5);
    /** How many links this JVM accepted: what the tests read to see the links at work. */
    static final AtomicInteger ACCEPTED = new AtomicInteger();

    private final byte[] authkey;
    private final List<TinyLink> links = new CopyOnWriteArrayList<>();
    private @Nullable Listener listener;
    private @Nullable String endpoint;

    TinyLinks(byte[] authkey) {
        this.authkey = authkey.clone();
    }

    @Override
    public synchronized String listen(Acceptor acceptor) throws IOException {
        if (endpoint == null) {
            Listener l = Listener.builder().authkey(authkey).build();   // 127.0.0.1, a free port
            listener = l;
            endpoint = Integer.toString(((InetSocketAddress) l.address()).getPort());
            Thread.ofPlatform().daemon().name("tiny-accept").start(() -> acceptLoop(l, acceptor));
        }
        return endpoint;
    }

    private void acceptLoop(Listener l, Acceptor acceptor) {
        try {
            while (true) {
                Connection conn = l.accept();     // authenticated already
                TinyLink link = new TinyLink(conn);
                links.add(link);
                ACCEPTED.incrementAndGet();
                link.start(acceptor.accepted(link));
            }
        } catch (InterruptedException | IllegalStateException closed) {
            // the listener was closed: stop accepting
        }
    }

    @Override
    public Link connect(String endpoint, Receiver receiver) throws IOException {
        int port;
        try {
            port = Integer.parseInt(endpoint);
        } catch (NumberFormatException e) {
            throw new IOException("not a tiny endpoint (a port number): '" + endpoint + "'", e);
        }
        Connection conn = Client.connect(new InetSocketAddress("127.0.0.1", port), authkey);
        TinyLink link = new TinyLink(conn);
        links.add(link);
        link.start(receiver);
        return link;
    }

    @Override
    public void close() {
        Listener l;
        synchronized (this) {
            l = listener;
        }
        if (l != null) {
            l.close();
        }
        for (TinyLink link : links) {
            link.close();
        }
        long deadline = System.nanoTime() + CLOSE_PATIENCE.toNanos();
        for (TinyLink link : links) {
            link.awaitClosed(deadline);
        }
    }
}
