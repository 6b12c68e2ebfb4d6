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

    /** What is encoded: 8 bytes, 1 KiB, a short string, an int, a small serializable record. */
    @Param({"bytes8", "bytes1k", "string", "int", "record"})
    public String value;

    private final DefaultCodec codec = new DefaultCodec();
    private Object item = 0;
    private byte[] encoded = {};

    /** A serializable value that takes Java serialization. */
    record Point(int x, int y) implements java.io.Serializable {
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
