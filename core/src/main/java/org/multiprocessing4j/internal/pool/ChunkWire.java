package org.multiprocessing4j.internal.pool;

import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Codec;
import org.multiprocessing4j.CodecException;

/**
 * The pool's hot messages as plain bytes, with no Java serialization around them: one or more
 * chunks for a worker ({@link #tasks}, a batch), and a worker's answer to one chunk
 * ({@link #done}). A function travels by reference: each distinct function (by its encoded
 * bytes) has a number in its pool, and its bytes go to a worker once, with the first chunk that
 * needs it there; later chunks name the number alone, and the worker keeps the decoded function
 * until the pool tells it to forget it (the pool mirrors each worker's cache and bounds it). So
 * a function that captures a large value crosses to each worker once, not once per message.
 * Arguments and results travel as value lists ({@link #encodeValues}): a list of ints as 4 bytes
 * each, anything else element by element through the codec, whose fast paths cover strings,
 * boxed primitives and byte arrays.
 *
 * <pre>
 * tasks: 'T' forgetCount:int ref:long*forgetCount
 *        count:int (chunkId:long functionRef:long functionLength:int function? argumentsLength:int values)*count
 *        (functionLength -1: the worker has that function already; forget before the chunks run)
 * stop:  'S'
 * done:  'D' worker:int chunkId:long runNanos:long ok:byte (values | encoded FailureReport)
 * values: 'I' count:int int*count  |  'G' count:int (length:int bytes)*count
 * </pre>
 *
 * A decoded list of ints stays an {@code int[]} and boxes each value when it is read: a map's
 * million results are then 4 MB of ints in the pool's process, not a million objects that
 * every young collection copies while the map runs.
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
     * {@return a tasks message: forget those functions, then run each chunk, in order}
     *
     * @param forget       the functions the worker is to drop from its cache first
     * @param chunkIds     the chunks' ids in their pool
     * @param functionRefs the numbers of their functions
     * @param functions    their encoded functions, or null where the worker has the function
     *                     already (or an earlier chunk of this message carries it)
     * @param arguments    their encoded arguments ({@link #encodeValues})
     */
    public static byte[] tasks(long[] forget, long[] chunkIds, long[] functionRefs, byte[] @Nullable [] functions,
                               byte[][] arguments) {
        int size = 1 + 4 + 8 * forget.length + 4;
        for (int i = 0; i < chunkIds.length; i++) {
            byte[] f = functions[i];
            size += 8 + 8 + 4 + 4 + arguments[i].length + (f == null ? 0 : f.length);
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(TASK).putInt(forget.length);
        for (long ref : forget) {
            b.putLong(ref);
        }
        b.putInt(chunkIds.length);
        for (int i = 0; i < chunkIds.length; i++) {
            b.putLong(chunkIds[i]).putLong(functionRefs[i]);
            byte[] f = functions[i];
            if (f == null) {
                b.putInt(-1);
            } else {
                b.putInt(f.length).put(f);
            }
            b.putInt(arguments[i].length).put(arguments[i]);
        }
        return b.array();
    }

    /** {@return the message that tells a worker to stop} */
    public static byte[] stop() {
        return new byte[] {STOP};
    }

    /**
     * {@return whether {@code message} is a tasks message (else it is a stop)}
     *
     * @param message a message from a worker's inbox
     */
    public static boolean isTask(byte[] message) {
        return message.length > 0 && message[0] == TASK;
    }

    /**
     * {@return the chunk ids of a tasks message, in order}
     *
     * @param tasks a tasks message ({@link #tasks})
     */
    public static long[] taskChunkIds(byte[] tasks) {
        ByteBuffer b = ByteBuffer.wrap(tasks, 1, tasks.length - 1);
        int forgetCount = b.getInt();
        b.position(b.position() + 8 * forgetCount);
        long[] ids = new long[b.getInt()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = b.getLong();
            b.getLong();
            int functionLength = b.getInt();
            b.position(b.position() + Math.max(0, functionLength));
            int argumentsLength = b.getInt();
            b.position(b.position() + argumentsLength);
        }
        return ids;
    }

    /**
     * A task taken apart: the function's and the arguments' bytes are views of the message.
     *
     * @param function the function's bytes, or null when the worker has it already
     */
    record TaskParts(long chunkId, long functionRef, @Nullable ByteBuffer function, ByteBuffer arguments) {
    }

    /** A tasks message taken apart: the functions to forget first, then the chunks. */
    record Tasks(long[] forget, List<TaskParts> parts) {
    }

    static Tasks parseTasks(byte[] tasks) {
        ByteBuffer b = ByteBuffer.wrap(tasks);
        b.get();
        int forgetCount = b.getInt();
        if (forgetCount < 0 || forgetCount > b.remaining() / 8) {
            throw new CodecException("a tasks message says it forgets " + forgetCount + " functions in "
                    + b.remaining() + " bytes");
        }
        long[] forget = new long[forgetCount];
        for (int i = 0; i < forgetCount; i++) {
            forget[i] = b.getLong();
        }
        int count = b.getInt();
        List<TaskParts> parts = new ArrayList<>(Math.min(count, b.remaining()));
        for (int i = 0; i < count; i++) {
            long id = b.getLong();
            long ref = b.getLong();
            int functionLength = b.getInt();
            ByteBuffer function = null;
            if (functionLength >= 0) {
                function = b.slice(b.position(), functionLength);
                b.position(b.position() + functionLength);
            }
            int argumentsLength = b.getInt();
            ByteBuffer arguments = b.slice(b.position(), argumentsLength);
            b.position(b.position() + argumentsLength);
            parts.add(new TaskParts(id, ref, function, arguments));
        }
        return new Tasks(forget, parts);
    }

    /**
     * {@return a worker's answer for a chunk}
     *
     * @param runNanos how long the chunk ran in the worker
     * @param ok       whether {@code payload} holds values (else an encoded {@link FailureReport})
     */
    static byte[] done(int worker, long chunkId, long runNanos, boolean ok, byte[] payload) {
        return ByteBuffer.allocate(1 + 4 + 8 + 8 + 1 + payload.length)
                .put(DONE).putInt(worker).putLong(chunkId).putLong(runNanos).put((byte) (ok ? 1 : 0))
                .put(payload).array();
    }

    /**
     * A worker's answer for a chunk, taken apart.
     *
     * @param worker  the worker's number
     * @param chunkId  the chunk's id
     * @param runNanos how long it ran in the worker
     * @param values   the encoded values, or null if it failed
     * @param failure  why it failed, or null
     */
    public record Done(int worker, long chunkId, long runNanos, byte @Nullable [] values,
                       @Nullable FailureReport failure) {
    }

    /**
     * {@return the answer in {@code message}, or null if it is no answer}
     *
     * @param message a message from the pool's result queue
     * @param codec   the codec that decodes a failure's exception
     */
    public static @Nullable Done parseDone(byte[] message, Codec codec) {
        if (message.length < 22 || message[0] != DONE) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(message);
        b.get();
        int worker = b.getInt();
        long id = b.getLong();
        long runNanos = b.getLong();
        boolean ok = b.get() == 1;
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        if (ok) {
            return new Done(worker, id, runNanos, payload, null);
        }
        FailureReport failure;
        try {
            failure = (FailureReport) codec.decode(payload);
        } catch (RuntimeException undecodable) {
            failure = FailureReport.of(undecodable, codec);
        }
        return new Done(worker, id, runNanos, null, failure);
    }

    /**
     * {@return {@code values} as bytes: ints packed, anything else through {@code codec}}
     *
     * @param values arguments or results
     * @param codec  the codec for anything but a list of ints
     */
    public static byte[] encodeValues(List<?> values, Codec codec) {
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
        if (kind == INTS) {
            if (n > b.remaining() / 4) {
                throw new CodecException("a list of " + n + " ints cannot be in " + b.remaining() + " bytes");
            }
            int[] ints = new int[n];
            for (int i = 0; i < n; i++) {
                ints[i] = b.getInt();
            }
            return new IntValues(ints);
        }
        List<@Nullable Object> values = new ArrayList<>(n);
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

    /** Decoded ints, boxed when read; unmodifiable. */
    private static final class IntValues extends AbstractList<@Nullable Object> implements RandomAccess {
        private final int[] values;

        IntValues(int[] values) {
            this.values = values;
        }

        @Override
        public Object get(int index) {
            return values[java.util.Objects.checkIndex(index, values.length)];
        }

        @Override
        public int size() {
            return values.length;
        }
    }
}
