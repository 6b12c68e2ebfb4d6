package org.multiprocessing4j.internal.pool;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.CodecException;

/**
 * The pool's hot messages as plain bytes, with no Java serialization around them: a chunk for a
 * worker ({@link #task}), and a worker's answer ({@link #done}). The function travels as the
 * codec encoded it (once per function, see the pool's cache); arguments and results travel as
 * value lists ({@link #encodeValues}): a list of ints as 4 bytes each, anything else element by
 * element through the codec, whose fast paths cover strings, boxed primitives and byte arrays.
 *
 * <pre>
 * task:  'T' chunkId:long functionLength:int function values
 * stop:  'S'
 * done:  'D' worker:int chunkId:long ok:byte (values | encoded FailureReport)
 * values: 'I' count:int int*count  |  'G' count:int (length:int bytes)*count
 * </pre>
 *
 * All integers are big-endian. Other messages between a pool and its workers (rare ones) are
 * {@link PoolMessages} records.
 */
public final class ChunkWire {
    private static final byte TASK = 'T';
    private static final byte STOP = 'S';
    private static final byte DONE = 'D';
    private static final byte INTS = 'I';
    private static final byte GENERIC = 'G';

    private ChunkWire() {
    }

    /**
     * {@return the work of a chunk, without its id}
     *
     * @param function  the encoded function
     * @param arguments the encoded arguments ({@link #encodeValues})
     */
    public static byte[] work(byte[] function, byte[] arguments) {
        return ByteBuffer.allocate(4 + function.length + arguments.length)
                .putInt(function.length).put(function).put(arguments).array();
    }

    /**
     * {@return a task message: run {@code work} as chunk {@code chunkId}}
     *
     * @param chunkId the chunk's id in its pool
     * @param work    the function and arguments ({@link #work})
     */
    public static byte[] task(long chunkId, byte[] work) {
        return ByteBuffer.allocate(1 + 8 + work.length).put(TASK).putLong(chunkId).put(work).array();
    }

    /** {@return the message that tells a worker to stop} */
    public static byte[] stop() {
        return new byte[] {STOP};
    }

    /**
     * {@return whether {@code message} is a task (else it is a stop)}
     *
     * @param message a message from a worker's inbox
     */
    public static boolean isTask(byte[] message) {
        return message.length > 0 && message[0] == TASK;
    }

    /**
     * {@return the chunk id of a task message}
     *
     * @param task a task message ({@link #task})
     */
    public static long taskChunkId(byte[] task) {
        return ByteBuffer.wrap(task, 1, 8).getLong();
    }

    /** A task taken apart: the function's bytes and the arguments' bytes are views of the message. */
    record TaskParts(long chunkId, ByteBuffer function, ByteBuffer arguments) {
    }

    static TaskParts parseTask(byte[] task) {
        ByteBuffer b = ByteBuffer.wrap(task);
        b.get();
        long id = b.getLong();
        int n = b.getInt();
        ByteBuffer function = b.slice(b.position(), n);
        ByteBuffer arguments = b.slice(b.position() + n, b.remaining() - n);
        return new TaskParts(id, function, arguments);
    }

    /**
     * {@return a worker's answer for a chunk}
     *
     * @param ok      whether {@code payload} holds values (else an encoded {@link FailureReport})
     */
    static byte[] done(int worker, long chunkId, boolean ok, byte[] payload) {
        return ByteBuffer.allocate(1 + 4 + 8 + 1 + payload.length)
                .put(DONE).putInt(worker).putLong(chunkId).put((byte) (ok ? 1 : 0)).put(payload).array();
    }

    /**
     * A worker's answer for a chunk, taken apart.
     *
     * @param worker  the worker's number
     * @param chunkId the chunk's id
     * @param values  the encoded values, or null if it failed
     * @param failure why it failed, or null
     */
    public record Done(int worker, long chunkId, byte @Nullable [] values, @Nullable FailureReport failure) {
    }

    /**
     * {@return the answer in {@code message}, or null if it is no answer}
     *
     * @param message a message from the pool's result queue
     * @param codec   the codec that decodes a failure's exception
     */
    public static @Nullable Done parseDone(byte[] message, Codec codec) {
        if (message.length < 14 || message[0] != DONE) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(message);
        b.get();
        int worker = b.getInt();
        long id = b.getLong();
        boolean ok = b.get() == 1;
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        if (ok) {
            return new Done(worker, id, payload, null);
        }
        FailureReport failure;
        try {
            failure = (FailureReport) codec.decode(payload);
        } catch (RuntimeException undecodable) {
            failure = FailureReport.of(undecodable, codec);
        }
        return new Done(worker, id, null, failure);
    }

    /**
     * {@return {@code values} as bytes: ints packed, anything else through {@code codec}}
     *
     * @param values arguments or results
     * @param codec  the codec for anything but a list of ints
     */
    public static byte[] encodeValues(List<@Nullable Object> values, Codec codec) {
        int n = values.size();
        boolean ints = true;
        for (int i = 0; i < n && ints; i++) {
            ints = values.get(i) instanceof Integer;
        }
        if (ints) {
            ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4 * n).put(INTS).putInt(n);
            for (int i = 0; i < n; i++) {
                b.putInt((Integer) values.get(i));
            }
            return b.array();
        }
        byte[][] encoded = new byte[n][];
        int size = 1 + 4;
        for (int i = 0; i < n; i++) {
            encoded[i] = codec.encode(values.get(i));
            size += 4 + encoded[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(GENERIC).putInt(n);
        for (byte[] e : encoded) {
            b.putInt(e.length).put(e);
        }
        return b.array();
    }

    /**
     * {@return the values {@link #encodeValues} encoded}
     *
     * @param data  what {@link #encodeValues} gave
     * @param codec the codec it used
     */
    public static List<@Nullable Object> decodeValues(byte[] data, Codec codec) {
        return decodeValues(ByteBuffer.wrap(data), codec);
    }

    static List<@Nullable Object> decodeValues(ByteBuffer b, Codec codec) {
        byte kind = b.get();
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new CodecException("a value list says it holds " + n + " values in " + b.remaining() + " bytes");
        }
        List<@Nullable Object> values = new ArrayList<>(n);
        if (kind == INTS) {
            for (int i = 0; i < n; i++) {
                values.add(b.getInt());
            }
            return values;
        }
        if (kind != GENERIC) {
            throw new CodecException("not a value list: kind " + kind);
        }
        byte[] array = b.array();
        for (int i = 0; i < n; i++) {
            int length = b.getInt();
            int at = b.arrayOffset() + b.position();
            values.add(codec.decode(array, at, length));
            b.position(b.position() + length);
        }
        return values;
    }
}
