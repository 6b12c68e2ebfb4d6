package org.multiprocessing4j.benchmarks.jmh;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.wire.FrameReader;
import org.multiprocessing4j.internal.wire.Frames;
import org.multiprocessing4j.internal.wire.PostBatch;
import org.multiprocessing4j.internal.wire.proto.Call;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frames on the wire: a call with an 8-byte payload encoded with protobuf's builders and
 * written as a frame, the same post as a {@link PostBatch} (no builders), a batch of 64 posts,
 * and parsing each back.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FrameBenchmark {
    /** A benchmark state for JMH, which makes it. */
    public FrameBenchmark() {
    }

    private static final int BATCH = 64;
    private final ByteString payload = ByteString.copyFrom(new byte[8]);
    private final OutputStream sink = OutputStream.nullOutputStream();
    private byte[] callBody = {};
    private byte[] batchBody = {};

    /** Encodes the frames that the parsing benchmarks read. */
    @Setup
    public void setUp() {
        callBody = call().toByteArray();
        batchBody = batch().seal();
    }

    private Envelope call() {
        return Envelope.newBuilder().setTo("").setFrom("1")
                .setCall(Call.newBuilder().setId(12345).setObject(3).setOp(1).setPayload(payload).setThread(1)
                        .setOneway(true))
                .build();
    }

    private PostBatch batch() {
        PostBatch batch = new PostBatch("", "1", 12345, 3, 1, 1, payload, PostBatch.MAX_BATCH_BYTES);
        for (int i = 1; i < BATCH; i++) {
            batch.add("", "1", 3, 1, 1, payload);
        }
        return batch;
    }

    /**
     * Writes one call as a frame, as a post was written before batches.
     *
     * @throws IOException never: the stream discards
     */
    @Benchmark
    public void writeCallFrame() throws IOException {
        Frames.write(sink, call());
    }

    /**
     * Writes a batch holding one post.
     *
     * @throws IOException never: the stream discards
     */
    @Benchmark
    public void writePostBatchOfOne() throws IOException {
        Frames.write(sink, new PostBatch("", "1", 12345, 3, 1, 1, payload, PostBatch.MAX_BATCH_BYTES).seal());
    }

    /**
     * Writes a batch of 64 posts (the time is per post).
     *
     * @throws IOException never: the stream discards
     */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(BATCH)
    public void writePostBatchOf64() throws IOException {
        Frames.write(sink, batch().seal());
    }

    /**
     * {@return the envelope}
     *
     * @throws InvalidProtocolBufferException never: the frame is valid
     */
    @Benchmark
    public Envelope parseCallFrame() throws InvalidProtocolBufferException {
        return FrameReader.parse(callBody.clone());
    }

    /**
     * {@return the envelope}
     *
     * @throws InvalidProtocolBufferException never: the frame is valid
     */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(BATCH)
    public Envelope parsePostBatchOf64() throws InvalidProtocolBufferException {
        return FrameReader.parse(batchBody.clone());
    }
}
