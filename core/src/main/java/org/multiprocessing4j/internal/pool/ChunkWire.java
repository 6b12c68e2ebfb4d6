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
 * ({@link #done}).
 *
 * <p>Functions and large arguments travel by reference. Each distinct function, and each
 * argument whose encoding takes at least {@link #SHARED_MIN_BYTES} (by its encoded bytes), has
 * a number in its pool; its bytes go to a worker once, in the first message that needs them
 * there ("learn"), and later messages name the number alone. The worker keeps them until the
 * pool tells it to forget them (the pool mirrors each worker's cache and bounds it). So a
 * function that captures a large value, or a large argument passed again and again, crosses to
 * each worker once, not once per task. A worker keeps a function decoded; a shared argument it
 * decodes afresh for every task, so that no task sees what another did to its copy. Where the
 * pool stored a large value in its transport (a cluster), a worker learns a handle to it
 * instead of its bytes, and fetches them ({@link Learned#stored}).
 *
 * <p>Arguments and results travel as value lists ({@link #encodeValues}): a list of ints as 4
 * bytes each, anything else element by element through the codec, whose fast paths cover
 * strings, boxed primitives and byte arrays; in a task's arguments an element may instead name
 * a shared value.
 *
 * <pre>
 * tasks: 'T' forgetCount:int ref:long*forgetCount
 *        learnCount:int (ref:long (length:int bytes | -1:int length:int handleLength:int handle))*learnCount
 *        count:int (chunkId:long functionRef:long argumentsLength:int values)*count
 *        (the worker forgets, then learns, then runs the chunks)
 * stop:  'S'
 * done:  'D' worker:int chunkId:long runNanos:long ok:byte (values | encoded FailureReport)
 * values: 'I' count:int int*count  |  'G' count:int (length:int bytes | -1:int ref:long)*count
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
    /** An argument whose encoding takes at least this many bytes is shared by number. */
    public static final int SHARED_MIN_BYTES = 64 << 10;
    /** The length that says "a shared value's number follows". */
    private static final int SHARED = -1;
    /** The length that says "where a stored value is follows" (in a tasks message's learn section). */
    private static final int STORED = -1;

    /** Gives large encoded arguments their numbers, while a task's arguments are encoded. */
    @FunctionalInterface
    public interface Sharing {
        /**
         * {@return the value's number, or -1 to send it in line}
         *
         * @param encoded an argument's encoding, at least {@link #SHARED_MIN_BYTES} long
         */
        long share(byte[] encoded);
    }

    /** Where a worker finds a shared value's bytes. */
    @FunctionalInterface
    public interface SharedValues {
        /**
         * {@return the bytes of the shared value {@code ref}}
         *
         * @param ref its number in the pool
         * @throws CodecException if there is none
         */
        ByteBuffer bytes(long ref);
    }

    private static final SharedValues NONE = ref -> {
        throw new CodecException("a value list names shared value #" + ref + " where none can be");
    };

    private ChunkWire() {
    }

    /**
     * What a message carries of a value the worker learns.
     *
     * @param storedLength -1 when {@code bytes} are the value; else the value's length, and
     *                     {@code bytes} the encoded {@link org.multiprocessing4j.spi.SharedDataBackend}
     *                     that holds it
     * @param bytes        the value, or the handle to it
     */
    public record Learned(int storedLength, byte[] bytes) {
        /**
         * {@return a value sent in line}
         *
         * @param value its encoded bytes
         */
        public static Learned inline(byte[] value) {
            return new Learned(-1, value);
        }

        /**
         * {@return a value stored where the worker fetches it}
         *
         * @param length how many bytes it has
         * @param handle the encoded backend that holds them
         */
        public static Learned stored(int length, byte[] handle) {
            return new Learned(length, handle);
        }

        int wireSize() {
            return 8 + 4 + (storedLength < 0 ? 0 : 8) + bytes.length;
        }
    }

    /**
     * {@return a tasks message: forget those, learn these, then run each chunk, in order}
     *
     * @param forget       the numbers the worker is to drop from its cache first
     * @param learnRefs    the numbers of the functions and shared values it is sent now
     * @param learned      their bytes, or where they are stored
     * @param chunkIds     the chunks' ids in their pool
     * @param functionRefs the numbers of their functions
     * @param arguments    their encoded arguments ({@link #encodeValues})
     */
    public static byte[] tasks(long[] forget, long[] learnRefs, Learned[] learned, long[] chunkIds,
                               long[] functionRefs, byte[][] arguments) {
        int size = 1 + 4 + 8 * forget.length + 4 + 4;
        for (Learned l : learned) {
            size += l.wireSize();
        }
        for (byte[] a : arguments) {
            size += 8 + 8 + 4 + a.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(TASK).putInt(forget.length);
        for (long ref : forget) {
            b.putLong(ref);
        }
        b.putInt(learnRefs.length);
        for (int i = 0; i < learnRefs.length; i++) {
            Learned l = learned[i];
            b.putLong(learnRefs[i]);
            if (l.storedLength() >= 0) {
                b.putInt(STORED).putInt(l.storedLength());
            }
            b.putInt(l.bytes().length).put(l.bytes());
        }
        b.putInt(chunkIds.length);
        for (int i = 0; i < chunkIds.length; i++) {
            b.putLong(chunkIds[i]).putLong(functionRefs[i]).putInt(arguments[i].length).put(arguments[i]);
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
        int learnCount = b.getInt();
        for (int i = 0; i < learnCount; i++) {
            b.getLong();
            int length = b.getInt();
            if (length == STORED) {
                b.getInt();
                length = b.getInt();
            }
            b.position(b.position() + length);
        }
        long[] ids = new long[b.getInt()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = b.getLong();
            b.getLong();
            int argumentsLength = b.getInt();
            b.position(b.position() + argumentsLength);
        }
        return ids;
    }

    /** A task taken apart: its arguments' bytes are a view of the message. */
    record TaskParts(long chunkId, long functionRef, ByteBuffer arguments) {
    }

    /**
     * A tasks message taken apart: the numbers to forget first, the functions and shared values
     * to learn (views of the message; where {@code learnStored} is not -1, the handle to a
     * stored value of that length), then the chunks.
     */
    record Tasks(long[] forget, long[] learnRefs, List<ByteBuffer> learnBytes, int[] learnStored,
                 List<TaskParts> parts) {
    }

    static Tasks parseTasks(byte[] tasks) {
        ByteBuffer b = ByteBuffer.wrap(tasks);
        b.get();
        int forgetCount = b.getInt();
        if (forgetCount < 0 || forgetCount > b.remaining() / 8) {
            throw new CodecException("a tasks message says it forgets " + forgetCount + " values in "
                    + b.remaining() + " bytes");
        }
        long[] forget = new long[forgetCount];
        for (int i = 0; i < forgetCount; i++) {
            forget[i] = b.getLong();
        }
        int learnCount = b.getInt();
        if (learnCount < 0 || learnCount > b.remaining() / 12) {
            throw new CodecException("a tasks message says it brings " + learnCount + " values in "
                    + b.remaining() + " bytes");
        }
        long[] learnRefs = new long[learnCount];
        int[] learnStored = new int[learnCount];
        List<ByteBuffer> learnBytes = new ArrayList<>(learnCount);
        for (int i = 0; i < learnCount; i++) {
            learnRefs[i] = b.getLong();
            int length = b.getInt();
            learnStored[i] = -1;
            if (length == STORED) {
                learnStored[i] = b.getInt();
                if (learnStored[i] < 0) {
                    throw new CodecException("a tasks message says a stored value has " + learnStored[i] + " bytes");
                }
                length = b.getInt();
            }
            learnBytes.add(slice(b, length));
        }
        int count = b.getInt();
        List<TaskParts> parts = new ArrayList<>(Math.min(Math.max(count, 0), b.remaining() / 20));
        for (int i = 0; i < count; i++) {
            long id = b.getLong();
            long ref = b.getLong();
            parts.add(new TaskParts(id, ref, slice(b, b.getInt())));
        }
        return new Tasks(forget, learnRefs, learnBytes, learnStored, parts);
    }

    /** {@return the next {@code length} bytes of {@code b} as a view, moving past them} */
    private static ByteBuffer slice(ByteBuffer b, int length) {
        if (length < 0 || length > b.remaining()) {
            throw new CodecException("a tasks message says " + length + " bytes follow where " + b.remaining()
                    + " are left");
        }
        ByteBuffer view = b.slice(b.position(), length);
        b.position(b.position() + length);
        return view;
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
        return encodeValues(values, codec, null);
    }

    /**
     * {@return {@code values} as bytes, as {@link #encodeValues(List, Codec)} gives them, but with
     * each element whose encoding is at least {@link #SHARED_MIN_BYTES} long offered to
     * {@code sharing}, and named by its number where it has one}
     *
     * @param values  a task's arguments
     * @param codec   the codec for anything but a list of ints
     * @param sharing numbers large values, or null to send every value in line
     */
    public static byte[] encodeValues(List<?> values, Codec codec, @Nullable Sharing sharing) {
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
        long[] refs = null;
        int size = 1 + 4;
        for (int i = 0; i < n; i++) {
            byte[] e = codec.encode(values.get(i));
            long ref = sharing != null && e.length >= SHARED_MIN_BYTES ? sharing.share(e) : -1;
            if (ref >= 0) {
                if (refs == null) {
                    refs = new long[n];
                }
                refs[i] = ref;
                size += 4 + 8;
            } else {
                encoded[i] = e;
                size += 4 + e.length;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(GENERIC).putInt(n);
        for (int i = 0; i < n; i++) {
            byte[] e = encoded[i];
            if (e == null) {
                b.putInt(SHARED).putLong(refs[i]);
            } else {
                b.putInt(e.length).put(e);
            }
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
        return decodeValues(b, codec, NONE);
    }

    /**
     * {@return the values {@link #encodeValues(List, Codec, Sharing)} encoded, each shared one
     * decoded afresh from {@code shared}}
     */
    static List<@Nullable Object> decodeValues(ByteBuffer b, Codec codec, SharedValues shared) {
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
            if (length == SHARED) {
                ByteBuffer value = shared.bytes(b.getLong());
                values.add(codec.decode(value.array(), value.arrayOffset() + value.position(), value.remaining()));
                continue;
            }
            if (length < 0 || length > b.remaining()) {
                throw new CodecException("a value list says a value of " + length + " bytes follows where "
                        + b.remaining() + " are left");
            }
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
