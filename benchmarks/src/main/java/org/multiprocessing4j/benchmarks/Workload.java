package org.multiprocessing4j.benchmarks;

import java.util.Arrays;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

/**
 * One measurement in a JVM of its own (the transport is chosen once per JVM, with
 * {@code -Dmultiprocessing4j.transport}); prints one number. {@link SideBySide} runs it, and
 * the same workload in CPython ({@link #PYTHON}), round after round.
 *
 * <ul>
 *   <li>{@code queue N SIZE}: a child puts N messages of SIZE bytes into a queue the parent
 *       owns, the parent takes them: messages per second, from the first message to the last
 *       (the child's start is not measured).
 *   <li>{@code pipe-rtt N}: the parent sends a small message on a pipe, a child sends it back;
 *       the median round trip in microseconds over N.
 * </ul>
 */
public final class Workload {
    /** The same workloads in CPython's {@code multiprocessing} (spawn), the same arguments. */
    static final String PYTHON = """
            import multiprocessing as mp, sys, time
            def producer(q, n, size):
                payload = b"x" * size
                for _ in range(n):
                    q.put(payload)
                q.put(None)
            def echo(conn, n):
                for _ in range(n):
                    conn.send_bytes(conn.recv_bytes())
            if __name__ == "__main__":
                mp.set_start_method("spawn")
                what = sys.argv[1]
                if what == "queue":
                    n, size = int(sys.argv[2]), int(sys.argv[3])
                    q = mp.Queue()
                    p = mp.Process(target=producer, args=(q, n, size))
                    p.start()
                    q.get()
                    t0 = time.perf_counter()
                    count = 1
                    while q.get() is not None:
                        count += 1
                    dt = time.perf_counter() - t0
                    p.join()
                    print((count - 1) / dt)
                elif what == "pipe-rtt":
                    n = int(sys.argv[2])
                    a, b = mp.Pipe()
                    p = mp.Process(target=echo, args=(b, n))
                    p.start()
                    times = []
                    for _ in range(n):
                        t0 = time.perf_counter()
                        a.send_bytes(b"ping0000")
                        a.recv_bytes()
                        times.append((time.perf_counter() - t0) * 1e6)
                    p.join()
                    times.sort()
                    print(times[len(times) // 2])
            """;

    private Workload() {
    }

    /**
     * Runs one workload and prints its result.
     *
     * @param args the workload and its arguments
     * @throws Exception if the workload fails
     */
    public static void main(String[] args) throws Exception {
        double result = switch (args[0]) {
            case "queue" -> queue(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "pipe-rtt" -> pipeRoundTrip(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("no workload " + args[0]);
        };
        System.out.println(result);
    }

    private static double queue(int n, int size) throws Exception {
        Queue<byte[]> q = new Queue<>();
        Process p = new Process(() -> {
            byte[] payload = new byte[size];
            for (int i = 0; i < n; i++) {
                q.put(payload);
            }
            q.put(new byte[0]);
        });
        p.start();
        q.get();
        long t0 = System.nanoTime();
        int count = 1;
        while (q.get().length > 0) {
            count++;
        }
        long dt = System.nanoTime() - t0;
        p.join();
        return (count - 1) / (dt / 1e9);
    }

    private static double pipeRoundTrip(int n) throws Exception {
        Pipe.Ends ends = Pipe.open();
        Connection a = ends.first();
        Connection b = ends.second();
        Process p = new Process(() -> {
            for (int i = 0; i < n; i++) {
                b.sendBytes(b.recvBytes());
            }
        });
        p.start();
        byte[] ping = "ping0000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        double[] micros = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            a.sendBytes(ping);
            a.recvBytes();
            micros[i] = (System.nanoTime() - t0) / 1e3;
        }
        p.join();
        Arrays.sort(micros);
        return micros[n / 2];
    }
}
