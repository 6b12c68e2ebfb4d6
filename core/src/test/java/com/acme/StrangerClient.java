package com.acme;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.multiprocessing4j.Client;
import org.multiprocessing4j.Connection;

/**
 * A JVM that was not started by the listener's process: reads "port hexkey mode" from stdin
 * (never from its command line) and talks to the listener.
 */
public final class StrangerClient {
    private StrangerClient() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String[] words = in.readLine().split(" ");
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(words[0]));
        byte[] key = HexFormat.of().parseHex(words[1]);
        switch (words[2]) {
            case "echo" -> {
                try (Connection c = Client.connect(address, key)) {
                    Object got = c.recv();
                    c.send("stranger got " + got);
                }
            }
            case "half-frame" -> {
                // Authenticates, then writes the first half of a 1000-byte frame and waits to be
                // killed in the middle of it.
                SocketChannel ch = org.multiprocessing4j.internal.net.Sockets.connect(address, key,
                        java.time.Duration.ofSeconds(10));
                ByteBuffer half = ByteBuffer.allocate(4 + 500).putInt(0, 1000);
                while (half.hasRemaining()) {
                    ch.write(half);
                }
                System.out.println("sent");
                System.out.flush();
                Thread.sleep(60_000);
            }
            case "raw" -> {
                try (SocketChannel ch = SocketChannel.open(address)) {
                    ch.write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                    Thread.sleep(500);
                }
            }
            default -> throw new IllegalArgumentException(words[2]);
        }
    }
}
