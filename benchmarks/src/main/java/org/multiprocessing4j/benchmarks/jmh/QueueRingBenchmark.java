package org.multiprocessing4j.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.Queue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A put and a get of an 8-byte item in one thread of the queue's owner: on {@code sharedmem}
 * the lock-free ring in shared memory, on {@code pipe} the broker's queue (the owner's local
 * path). One transport per fork: the transport is chosen once per JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class QueueRingBenchmark {
    /** A benchmark state for JMH, which makes it. */
    public QueueRingBenchmark() {
    }

    /** The transport whose queue is measured. */
    @Param({"sharedmem", "pipe"})
    public String transport;

    private final byte[] item = new byte[8];
    private Queue<byte[]> queue;

    /** Chooses the transport (before anything made this JVM's runtime) and makes the queue. */
    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("multiprocessing4j.transport", transport);
        queue = new Queue<>(1024);
    }

    /** Nothing stays behind: the shared-memory queue's segment goes with the process's cleanup. */
    @TearDown(Level.Trial)
    public void tearDown() {
        queue.close();
    }

    /**
     * {@return the item taken}
     *
     * @throws InterruptedException never: nothing waits
     */
    @Benchmark
    public byte[] putThenGet() throws InterruptedException {
        queue.put(item);
        return queue.get();
    }
}
