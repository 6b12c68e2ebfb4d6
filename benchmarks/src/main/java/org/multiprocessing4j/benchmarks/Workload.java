package org.multiprocessing4j.benchmarks;

import java.io.EOFException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;
import org.multiprocessing4j.AsyncResult;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessExecutorService;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.cluster.hazelcast.LocalAgents;

/**
 * One measurement in a JVM of its own (the transport is chosen once per JVM, with
 * {@code -Dmultiprocessing4j.transport}); prints one number. {@link SideBySide} runs it, and
 * the same workload in CPython ({@link #PYTHON}), round after round.
 *
 * <ul>
 *   <li>{@code queue N SIZE [WARMUP_MS]}: a child puts N messages of SIZE bytes into a queue
 *       the parent owns, the parent takes them: messages per second, from the first message to
 *       the last (the child's start is not measured); after WARMUP_MS milliseconds of rounds
 *       of 10,000 of the same messages, untimed, in which the child waits for the parent to
 *       have taken a round before it puts the next (an unbounded queue would otherwise pile up
 *       what a fast producer puts), none by default.
 *   <li>{@code pipe-rtt N [WARMUP_MS]}: the parent sends a small message on a pipe, a child sends
 *       it back; the median round trip in microseconds over N, measured after WARMUP_MS
 *       milliseconds of round trips that are not timed (none by default: the cold figure, with
 *       the JIT's warm-up in it; the warmed one is the steady state).
 *   <li>{@code pipe-bandwidth N SIZE [WARMUP_MS]}: the parent sends N messages of SIZE bytes on
 *       a pipe to a child, which answers once it has them all: MiB per second; after WARMUP_MS
 *       milliseconds of the same messages, untimed (none by default).
 *   <li>{@code pipe-bandwidth-into N SIZE [WARMUP_MS]}: the same, the child receiving each
 *       message into one reused array ({@code recvBytesInto}; CPython's
 *       {@code recv_bytes_into} a {@code bytearray}) instead of a new array per message.
 *   <li>{@code lock N [WARMUP_MS]}: the parent and a child each take and release one lock N
 *       times at once: operations (take and release) per second, both processes together, timed
 *       from when the child is ready (CPython's spawn, or a cluster client's start, is not in
 *       it), after WARMUP_MS milliseconds of the same contention untimed (none by default).
 *   <li>{@code start N}: start and join a child that does nothing, N times after a first
 *       (not counted): the median in milliseconds.
 *   <li>{@code rss-parent N}, {@code rss-child N}: a child puts N 8-byte messages into a queue
 *       the parent owns and takes; then the peak resident memory (VmHWM) of the parent, or of
 *       the child, in MiB.
 *   <li>{@code pool-map N}: {@code Pool.map} of a trivial function ({@code x * x}) over the ints
 *       0..N-1 with the automatic chunk size, on a pool of {@code cpuCount()} workers: items per
 *       second (the pool's start and a warm-up map of N/10 items are not measured). The ints are
 *       a list that computes each element when asked ({@link #range}), as CPython's
 *       {@code range(N)} is a sequence that stores none: building a list of N boxed ints first
 *       would time that too (20–35 ms of a 10^6-item map here), which CPython's side does not.
 *   <li>{@code pool-apply N}: N {@code applyAsync} calls of the same function, then every
 *       result taken: tasks per second (measured as for {@code pool-map}).
 *   <li>{@code executor-submit N}: N {@code submit(() -> square(i))} calls on the pool's
 *       {@code ExecutorService} view, each task a new lambda, then every future's result (CPython:
 *       {@code ProcessPoolExecutor.submit(square, i)} with spawn and {@code cpu_count()}
 *       workers); measured as for {@code pool-map}.
 *   <li>{@code pool-map-agents K N}: {@code pool-map N} on the {@code hazelcast} transport, its
 *       workers ({@code cpuCount()} per agent) on K agents that it starts on this machine
 *       ({@code LocalAgents}) before it measures.
 *   <li>Both take an optional WARMUP_MS after N: rounds of N/10 for that long, untimed, after
 *       the first.
 * </ul>
 */
public final class Workload {
    /** Items in a round of the queue's warm-up: the producer waits for the consumer between rounds. */
    private static final int QUEUE_WARMUP_ROUND = 10_000;
    /** Lock operations between two looks at whether the warm-up is over. */
    private static final int LOCK_WARMUP_ROUND = 1_000;
    /** The same workloads in CPython's {@code multiprocessing} (spawn), the same arguments. */
    static final String PYTHON = """
            import multiprocessing as mp, sys, time
            def producer(q, n, size, more):
                payload = b"x" * size
                if more is not None:
                    while True:
                        for _ in range(10000):
                            q.put(payload)
                        q.put(None)
                        if not more.get():
                            break
                for _ in range(n):
                    q.put(payload)
                q.put(None)
            def echo(conn):
                while True:
                    m = conn.recv_bytes()
                    if not m:
                        break
                    conn.send_bytes(m)
            def sink(conn, n, warmup, size, into):
                buf = bytearray(size)
                recv = (lambda: conn.recv_bytes_into(buf)) if into else conn.recv_bytes
                if warmup:
                    while recv():
                        pass
                    conn.send_bytes(b"warm")
                for _ in range(n):
                    recv()
                conn.send_bytes(b"done")
            def locker(lock, ready, go, stop, warmed, done, n, warmup):
                ready.set()
                if warmup:
                    go.wait()
                    while not stop.is_set():
                        lock.acquire()
                        lock.release()
                    warmed.set()
                go.wait()
                for _ in range(n):
                    lock.acquire()
                    lock.release()
                done.set()
            def noop():
                pass
            def peak_kib():
                with open("/proc/self/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            return int(line.split()[1])
            def reporter(q, n):
                payload = b"x" * 8
                for _ in range(n):
                    q.put(payload)
                q.put(peak_kib())
            def square(x):
                return x * x
            def pool_map(pool, n):
                pool.map(square, range(n))
            def pool_apply(pool, n):
                results = [pool.apply_async(square, (i,)) for i in range(n)]
                for r in results:
                    r.get()
            def executor_submit(executor, n):
                futures = [executor.submit(square, i) for i in range(n)]
                for f in futures:
                    f.result()
            if __name__ == "__main__":
                mp.set_start_method("spawn")
                what = sys.argv[1]
                if what == "queue":
                    n, size = int(sys.argv[2]), int(sys.argv[3])
                    warmup = int(sys.argv[4]) / 1e3 if len(sys.argv) > 4 else 0
                    q = mp.Queue()
                    more = mp.Queue() if warmup else None
                    p = mp.Process(target=producer, args=(q, n, size, more))
                    p.start()
                    if warmup:
                        end = time.perf_counter() + warmup
                        while True:
                            while q.get() is not None:
                                pass
                            again = time.perf_counter() < end
                            more.put(again)
                            if not again:
                                break
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
                    warmup = int(sys.argv[3]) / 1e3 if len(sys.argv) > 3 else 0
                    a, b = mp.Pipe()
                    p = mp.Process(target=echo, args=(b,))
                    p.start()
                    end = time.perf_counter() + warmup
                    while time.perf_counter() < end:
                        a.send_bytes(b"ping0000")
                        a.recv_bytes()
                    times = []
                    for _ in range(n):
                        t0 = time.perf_counter()
                        a.send_bytes(b"ping0000")
                        a.recv_bytes()
                        times.append((time.perf_counter() - t0) * 1e6)
                    a.send_bytes(b"")
                    p.join()
                    times.sort()
                    print(times[len(times) // 2])
                elif what in ("pipe-bandwidth", "pipe-bandwidth-into"):
                    n, size = int(sys.argv[2]), int(sys.argv[3])
                    warmup = int(sys.argv[4]) / 1e3 if len(sys.argv) > 4 else 0
                    a, b = mp.Pipe()
                    p = mp.Process(target=sink, args=(b, n, warmup, size, what == "pipe-bandwidth-into"))
                    p.start()
                    payload = b"x" * size
                    if warmup:
                        end = time.perf_counter() + warmup
                        while time.perf_counter() < end:
                            a.send_bytes(payload)
                        a.send_bytes(b"")
                        a.recv_bytes()
                    t0 = time.perf_counter()
                    for _ in range(n):
                        a.send_bytes(payload)
                    a.recv_bytes()
                    dt = time.perf_counter() - t0
                    p.join()
                    print(n * size / dt / (1 << 20))
                elif what == "lock":
                    n = int(sys.argv[2])
                    warmup = int(sys.argv[3]) / 1e3 if len(sys.argv) > 3 else 0
                    lock, ready, go, stop, warmed, done = (mp.Lock(), mp.Event(), mp.Event(), mp.Event(),
                                                           mp.Event(), mp.Event())
                    p = mp.Process(target=locker, args=(lock, ready, go, stop, warmed, done, n, warmup))
                    p.start()
                    ready.wait()
                    if warmup:
                        go.set()
                        end = time.perf_counter() + warmup
                        while time.perf_counter() < end:
                            lock.acquire()
                            lock.release()
                        go.clear()
                        stop.set()
                        warmed.wait()
                    t0 = time.perf_counter()
                    go.set()
                    for _ in range(n):
                        lock.acquire()
                        lock.release()
                    done.wait()
                    dt = time.perf_counter() - t0
                    p.join()
                    print(2 * n / dt)
                elif what == "start":
                    n = int(sys.argv[2])
                    times = []
                    for i in range(n + 1):
                        t0 = time.perf_counter()
                        p = mp.Process(target=noop)
                        p.start()
                        p.join()
                        if i > 0:
                            times.append((time.perf_counter() - t0) * 1e3)
                    times.sort()
                    print(times[len(times) // 2])
                elif what in ("rss-parent", "rss-child"):
                    n = int(sys.argv[2])
                    q = mp.Queue()
                    p = mp.Process(target=reporter, args=(q, n))
                    p.start()
                    for _ in range(n):
                        q.get()
                    child = q.get()
                    p.join()
                    print((peak_kib() if what == "rss-parent" else child) / 1024)
                elif what in ("pool-map", "pool-apply", "executor-submit"):
                    n = int(sys.argv[2])
                    warmup = int(sys.argv[3]) / 1e3 if len(sys.argv) > 3 else 0
                    run = {"pool-map": pool_map, "pool-apply": pool_apply, "executor-submit": executor_submit}[what]
                    if what == "executor-submit":
                        from concurrent.futures import ProcessPoolExecutor
                        made = ProcessPoolExecutor(mp_context=mp.get_context("spawn"))
                    else:
                        made = mp.Pool()
                    with made as pool:
                        run(pool, n // 10)
                        end = time.perf_counter() + warmup
                        while time.perf_counter() < end:
                            run(pool, n // 10)
                        t0 = time.perf_counter()
                        run(pool, n)
                        dt = time.perf_counter() - t0
                    print(n / dt)
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
            case "queue" -> queue(Integer.parseInt(args[1]), Integer.parseInt(args[2]), warmup(args, 3));
            case "pipe-rtt" -> pipeRoundTrip(Integer.parseInt(args[1]), warmup(args, 2));
            case "pipe-bandwidth", "pipe-bandwidth-into" -> pipeBandwidth(Integer.parseInt(args[1]),
                    Integer.parseInt(args[2]), warmup(args, 3), args[0].equals("pipe-bandwidth-into"));
            case "lock" -> lock(Integer.parseInt(args[1]), warmup(args, 2));
            case "start" -> start(Integer.parseInt(args[1]));
            case "rss-parent", "rss-child" -> peakMemory(Integer.parseInt(args[1]), args[0].equals("rss-parent"));
            case "pool-map" -> pool(Integer.parseInt(args[1]), Workload::poolMap, warmup(args, 2));
            case "pool-apply" -> pool(Integer.parseInt(args[1]), Workload::poolApply, warmup(args, 2));
            case "executor-submit" -> pool(Integer.parseInt(args[1]), Workload::executorSubmit, warmup(args, 2));
            case "pool-map-agents" -> poolOnAgents(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("no workload " + args[0]);
        };
        System.out.println(result);
    }

    private static double queue(int n, int size, int warmupMillis) throws Exception {
        Queue<byte[]> q = new Queue<>();
        Queue<Boolean> more = warmupMillis > 0 ? new Queue<>() : null; // as CPython's: none without a warm-up
        Process p = new Process(() -> {
            byte[] payload = new byte[size];
            if (more != null) {
                do {
                    produce(q, payload, QUEUE_WARMUP_ROUND);
                } while (more.get());
            }
            produce(q, payload, n);
        });
        p.start();
        if (more != null) {
            long end = System.nanoTime() + warmupMillis * 1_000_000L;
            boolean again;
            do {
                q.get();
                consume(q); // a round of the warm-up, untimed
                again = System.nanoTime() - end < 0;
                more.put(again);
            } while (again);
        }
        q.get();
        long t0 = System.nanoTime();
        int count = 1 + consume(q);
        long dt = System.nanoTime() - t0;
        p.join();
        return (count - 1) / (dt / 1e9);
    }

    // The warm-ups run the very methods that are timed after them, as JMH does: a timed loop of
    // its own, after the warm-up's loop in the same method, starts in the interpreter or in an
    // on-stack replacement compiled without the warm-up's profile of it.

    /** Puts {@code n} copies of {@code payload}, then an empty item that ends the round. */
    private static void produce(Queue<byte[]> q, byte[] payload, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            q.put(payload);
        }
        q.put(new byte[0]);
    }

    /** {@return how many items it took before an empty one} */
    private static int consume(Queue<byte[]> q) throws InterruptedException {
        int count = 0;
        while (q.get().length > 0) {
            count++;
        }
        return count;
    }

    /** Sends {@code ping} and waits for it back: the time that took, in nanoseconds. */
    private static long roundTrip(Connection c, byte[] ping) throws EOFException, InterruptedException {
        long t0 = System.nanoTime();
        c.sendBytes(ping);
        c.recvBytes();
        return System.nanoTime() - t0;
    }

    /** Receives {@code n} messages, or until an empty one when {@code n} is negative. */
    private static void sink(Connection c, byte[] buf, boolean into, int n) throws EOFException, InterruptedException {
        for (int i = 0; n < 0 || i < n; i++) {
            if ((into ? c.recvBytesInto(buf) : c.recvBytes().length) == 0 && n < 0) {
                return;
            }
        }
    }

    /** Sends {@code payload} {@code n} times. */
    private static void source(Connection c, byte[] payload, int n) {
        for (int i = 0; i < n; i++) {
            c.sendBytes(payload);
        }
    }

    /** Takes and releases {@code lock} {@code n} times. */
    private static void cycles(Lock lock, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            lock.acquire();
            lock.release();
        }
    }

    /** One pool workload: runs {@code n} tasks in {@code pool}. */
    private interface PoolRun {
        void run(Pool pool, int n) throws Exception;
    }

    /** {@return the optional warm-up in milliseconds at that index of the arguments; 0 without} */
    private static int warmup(String[] args, int index) {
        return args.length > index ? Integer.parseInt(args[index]) : 0;
    }

    private static double pool(int n, PoolRun run, int warmupMillis) throws Exception {
        try (Pool pool = new Pool()) {
            return timed(pool, n, run, warmupMillis);
        }
    }

    /** {@code Pool.map} as {@code pool-map}, its workers on {@code agents} agents started here (untimed). */
    private static double poolOnAgents(int agents, int n) throws Exception {
        try (LocalAgents local = LocalAgents.start(agents, 5781)) {
            local.applyToSystemProperties();
            try (Pool pool = Pool.builder().processes(agents * Multiprocessing.cpuCount()).build()) {
                return timed(pool, n, Workload::poolMap, 0);
            }
        }
    }

    private static double timed(Pool pool, int n, PoolRun run, int warmupMillis) throws Exception {
        run.run(pool, n / 10);
        long end = System.nanoTime() + warmupMillis * 1_000_000L;
        while (System.nanoTime() - end < 0) {
            run.run(pool, n / 10);
        }
        long t0 = System.nanoTime();
        run.run(pool, n);
        long dt = System.nanoTime() - t0;
        return n / (dt / 1e9);
    }

    private static int square(int x) {
        return x * x;
    }

    /**
     * {@return the ints {@code 0..n-1} as an unmodifiable list that stores none, Python's
     * {@code range(n)}}
     *
     * @param n how many
     */
    static List<Integer> range(int n) {
        return new IntRange(n);
    }

    /** {@link #range}'s list: random access, so that {@code Pool.map} reads it in place. */
    private static final class IntRange extends java.util.AbstractList<Integer> implements java.util.RandomAccess {
        private final int n;

        IntRange(int n) {
            this.n = n;
        }

        @Override
        public Integer get(int index) {
            return java.util.Objects.checkIndex(index, n);
        }

        @Override
        public int size() {
            return n;
        }
    }

    private static void poolMap(Pool pool, int n) throws Exception {
        List<Integer> items = range(n);
        List<Integer> squares = pool.map(Workload::square, items);
        check(squares.size() == n && squares.get(n - 1) == square(n - 1), "pool.map gave wrong results");
    }

    private static void poolApply(Pool pool, int n) throws Exception {
        List<AsyncResult<Integer>> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(pool.applyAsync(Workload::square, i));
        }
        for (int i = 0; i < n; i++) {
            check(Integer.valueOf(square(i)).equals(results.get(i).get()), "applyAsync gave a wrong result");
        }
    }

    private static void executorSubmit(Pool pool, int n) throws Exception {
        ProcessExecutorService executor = pool.asExecutorService();
        List<Future<Integer>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int x = i;
            futures.add(executor.submit(() -> square(x)));
        }
        for (int i = 0; i < n; i++) {
            check(square(i) == futures.get(i).get(), "submit gave a wrong result");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    private static double pipeRoundTrip(int n, int warmupMillis) throws Exception {
        Pipe.Ends ends = Pipe.open();
        Connection a = ends.first();
        Connection b = ends.second();
        Process p = new Process(() -> {
            for (byte[] m = b.recvBytes(); m.length > 0; m = b.recvBytes()) {
                b.sendBytes(m);
            }
        });
        p.start();
        byte[] ping = "ping0000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long warmEnd = System.nanoTime() + warmupMillis * 1_000_000L;
        while (System.nanoTime() - warmEnd < 0) {
            roundTrip(a, ping);
        }
        double[] micros = new double[n];
        for (int i = 0; i < n; i++) {
            micros[i] = roundTrip(a, ping) / 1e3;
        }
        a.sendBytes(new byte[0]);
        p.join();
        Arrays.sort(micros);
        return micros[n / 2];
    }

    private static double pipeBandwidth(int n, int size, int warmupMillis, boolean into) throws Exception {
        Pipe.Ends ends = Pipe.open();
        Connection a = ends.first();
        Connection b = ends.second();
        Process p = new Process(() -> {
            byte[] buf = new byte[size];
            if (warmupMillis > 0) {
                sink(b, buf, into, -1); // untimed
                b.sendBytes(new byte[] {2});
            }
            sink(b, buf, into, n);
            b.sendBytes(new byte[] {1});
        });
        p.start();
        byte[] payload = new byte[size];
        if (warmupMillis > 0) {
            long end = System.nanoTime() + warmupMillis * 1_000_000L;
            while (System.nanoTime() - end < 0) {
                source(a, payload, 1);
            }
            a.sendBytes(new byte[0]);
            a.recvBytes();
        }
        long t0 = System.nanoTime();
        source(a, payload, n);
        a.recvBytes();
        long dt = System.nanoTime() - t0;
        p.join();
        return (double) n * size / (dt / 1e9) / (1 << 20);
    }

    private static double lock(int n, int warmupMillis) throws Exception {
        Lock lock = new Lock();
        Event ready = new Event();
        Event go = new Event();
        Event stop = new Event();
        Event warmed = new Event();
        Event done = new Event();
        Process p = new Process(() -> {
            ready.set(); // a cluster's client joins here, before the timing
            if (warmupMillis > 0) {
                go.await();
                while (!stop.isSet()) {
                    cycles(lock, LOCK_WARMUP_ROUND);
                }
                warmed.set();
            }
            go.await();
            cycles(lock, n);
            done.set();
        });
        p.start();
        ready.await();
        if (warmupMillis > 0) {
            go.set();
            long end = System.nanoTime() + warmupMillis * 1_000_000L;
            while (System.nanoTime() - end < 0) {
                cycles(lock, LOCK_WARMUP_ROUND);
            }
            go.clear();
            stop.set();
            warmed.await();
        }
        long t0 = System.nanoTime();
        go.set();
        cycles(lock, n);
        done.await();
        long dt = System.nanoTime() - t0;
        p.join();
        return 2.0 * n / (dt / 1e9);
    }

    private static double start(int n) throws Exception {
        double[] millis = new double[n];
        for (int i = 0; i <= n; i++) {
            long t0 = System.nanoTime();
            Process p = new Process(() -> { });
            p.start();
            p.join();
            if (i > 0) {
                millis[i - 1] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(millis);
        return millis[n / 2];
    }

    private static double peakMemory(int n, boolean parent) throws Exception {
        Queue<Object> q = new Queue<>();
        Process p = new Process(() -> {
            byte[] payload = new byte[8];
            for (int i = 0; i < n; i++) {
                q.put(payload);
            }
            q.put(peakKib());
        });
        p.start();
        for (int i = 0; i < n; i++) {
            q.get();
        }
        long child = (Long) java.util.Objects.requireNonNull(q.get());
        p.join();
        return (parent ? peakKib() : child) / 1024.0;
    }

    /** The peak resident set (VmHWM) of this process, in KiB. */
    private static long peakKib() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new java.io.IOException("no VmHWM in /proc/self/status");
    }
}
