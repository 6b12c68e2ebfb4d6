package org.multiprocessing4j.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.DefaultCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The default codec: encoding and decoding the values queues and pipes carry most. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CodecBenchmark {
    /** A benchmark state for JMH, which makes it. */
    public CodecBenchmark() {
    }

    /**
     * What is encoded: 8 bytes, 1 KiB, a short string, an int, a small serializable record, a
     * pool task {@code () -> square(x)} (the codec's lambda path), and the same task capturing
     * a record as well (Java serialization, for comparison).
     */
    @Param({"bytes8", "bytes1k", "string", "int", "record", "lambda", "lambdaJava"})
    public String value;

    private final DefaultCodec codec = new DefaultCodec();
    private Object item = 0;
    private byte[] encoded = {};

    /** A serializable value that takes Java serialization. */
    record Point(int x, int y) implements java.io.Serializable {
    }

    /** A pool task's shape. */
    interface Task extends java.util.concurrent.Callable<Integer>, java.io.Serializable {
    }

    static int square(int x) {
        return x * x;
    }

    private static Task task(int x) {
        return () -> square(x);
    }

    private static Task taskWithRecord(int x, Point p) {
        return () -> square(x) + p.x();
    }

    /** Makes the value and its encoding. */
    @Setup
    public void setUp() {
        item = switch (value) {
            case "bytes8" -> new byte[8];
            case "bytes1k" -> new byte[1024];
            case "string" -> "a queue item";
            case "int" -> 42;
            case "record" -> new Point(3, 4);
            case "lambda" -> task(7);
            case "lambdaJava" -> taskWithRecord(7, new Point(3, 4));
            default -> throw new IllegalArgumentException(value);
        };
        encoded = codec.encode(item);
    }

    /** {@return the encoding} */
    @Benchmark
    public byte[] encode() {
        return codec.encode(item);
    }

    /** {@return the value} */
    @Benchmark
    public Object decode() {
        return codec.decode(encoded);
    }
}
