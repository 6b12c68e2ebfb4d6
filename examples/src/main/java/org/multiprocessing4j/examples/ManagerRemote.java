package org.multiprocessing4j.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Process;

/**
 * A remote manager: one JVM serves a manager at an address with an authkey; another JVM, which
 * did not start it, connects with the address and the key and uses the same objects (Python's
 * {@code BaseManager(address, authkey)} with {@code register('get_board', ...)}): the board, and
 * the server's lock, which it takes before posting. It then passes both to a child process of
 * its own, which connects to the manager too and does the same.
 *
 * <p>{@code examples/run manager-remote} does both: it serves, then starts a second, unrelated
 * JVM ({@code java ... manager-remote connect HOST:PORT}) and hands it the key on its stdin (a
 * key never goes on a command line). {@code serve} and {@code connect} run one side each.
 */
public final class ManagerRemote {
    private ManagerRemote() {
    }

    /** The shared object: a board that JVMs post messages to. */
    public interface Board {
        /**
         * Posts a message.
         *
         * @param message what to post
         */
        void post(String message);

        /** {@return every message so far} */
        List<String> read();

        /** {@return the lock that posters take (the server's one lock)} */
        Lock lock();
    }

    /** The one board of the server process, which every {@code create(Board.class)} returns. */
    private static final class TheBoard implements Board {
        private static final TheBoard INSTANCE = new TheBoard();
        private final List<String> messages = new ArrayList<>();
        private final Lock lock = new Lock();

        @Override
        public synchronized void post(String message) {
            messages.add(message);
        }

        @Override
        public synchronized List<String> read() {
            return new ArrayList<>(messages);
        }

        @Override
        public Lock lock() {
            return lock;
        }
    }

    /**
     * Runs the example.
     *
     * @param args nothing (serve, and run a client JVM), {@code serve}, or {@code connect HOST:PORT}
     *             (the key in hex on stdin)
     * @throws Exception if the client fails
     */
    public static void main(String[] args) throws Exception {
        List<String> words = new ArrayList<>(List.of(args));
        int transport = words.indexOf("--transport");
        if (transport >= 0) {
            words.subList(transport, Math.min(transport + 2, words.size())).clear();
        }
        if (words.size() >= 2 && words.get(0).equals("connect")) {
            connect(words.get(1));
            return;
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (Manager manager = Manager.builder()
                .register(Board.class, a -> TheBoard.INSTANCE)
                .address(new InetSocketAddress("127.0.0.1", 0))
                .authkey(key)
                .build()) {
            manager.start();
            InetSocketAddress at = (InetSocketAddress) manager.address();
            String address = at.getHostString() + ":" + at.getPort();
            Board board = manager.create(Board.class);
            board.post("hello from the JVM that started the manager");
            if (words.contains("serve")) {
                System.out.println("serving at " + address + " with key " + HexFormat.of().formatHex(key));
                System.out.println("press Enter to stop");
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } else {
                runClientJvm(address, key);
            }
            System.out.println("the board: " + board.read());
        }
    }

    private static void connect(String address) throws IOException, InterruptedException {
        String hex = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        int colon = address.lastIndexOf(':');
        InetSocketAddress at = new InetSocketAddress(address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1)));
        try (Manager manager = Manager.connect(at, HexFormat.of().parseHex(hex.trim()))) {
            Board board = manager.create(Board.class);
            Lock lock = board.lock();
            try (var _ = lock.hold()) {
                board.post("hello from another JVM (pid " + ProcessHandle.current().pid() + ")");
            }
            Process child = new Process(() -> {
                try (var _ = lock.hold()) {
                    board.post("hello from its child");
                }
            });
            child.start();
            child.join();
            System.out.println("client JVM read " + board.read().size() + " messages");
        }
    }

    /** Starts {@code java ... Examples manager-remote connect ADDRESS}, a JVM of its own, and relays its output. */
    private static void runClientJvm(String address, byte[] key) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                Examples.class.getName(), "manager-remote", "connect", address);
        pb.redirectErrorStream(true);
        java.lang.Process client = pb.start();
        try (OutputStream in = client.getOutputStream()) {
            in.write((HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        try (BufferedReader out = client.inputReader(StandardCharsets.UTF_8)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (!line.startsWith("[")) { // SLF4J's lines, if the client logs anything
                    System.out.println(line);
                }
            }
        }
        int code = client.waitFor();
        if (code != 0) {
            throw new IllegalStateException("the client JVM ended with exit code " + code);
        }
    }
}
