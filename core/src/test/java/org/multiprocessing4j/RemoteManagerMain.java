package org.multiprocessing4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A JVM of its own for {@link RemoteManagerTest}: {@code serve KEY} starts a manager served at
 * a free port and prints {@code serving PORT PID} (PID: its server process), then serves until
 * its stdin ends; {@code hold PORT KEY} connects to a manager, makes a map there that only it
 * holds, takes the lock of its {@link Hub}, prints {@code held} and sleeps until killed.
 */
public final class RemoteManagerMain {
    private RemoteManagerMain() {
    }

    /** A registered type whose objects are one per server: what clients of a manager share. */
    public interface Hub {
        /** @return the server's one lock */
        Lock lock();
    }

    /** The server's one hub. */
    static final class SharedHub implements Hub {
        static final SharedHub INSTANCE = new SharedHub();
        private Lock lock;

        @Override
        public synchronized Lock lock() {
            if (lock == null) {
                lock = new Lock();
            }
            return lock;
        }
    }

    /**
     * @param key the manager's key
     * @return a manager served at a free loopback port, with {@link Hub} registered; not started
     */
    static Manager manager(String key) {
        return Manager.builder().register(Hub.class, args -> SharedHub.INSTANCE)
                .address(new InetSocketAddress("127.0.0.1", 0)).authkey(key.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /**
     * @param args the mode and its arguments
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "serve" -> serve(args[1]);
            case "hold" -> hold(Integer.parseInt(args[1]), args[2]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void serve(String key) throws IOException {
        try (Manager m = manager(key)) {
            m.start();
            System.out.println("serving " + ((InetSocketAddress) m.address()).getPort() + " " + m.process().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until stdin ends
            }
        }
    }

    private static void hold(int port, String key) throws Exception {
        Manager m = Manager.connect(new InetSocketAddress("127.0.0.1", port), key.getBytes(StandardCharsets.UTF_8));
        DictProxy<String, String> mine = m.dict();
        mine.put("held by", "pid " + ProcessHandle.current().pid());
        Lock lock = m.create(Hub.class).lock();
        lock.acquire();
        System.out.println("held");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
