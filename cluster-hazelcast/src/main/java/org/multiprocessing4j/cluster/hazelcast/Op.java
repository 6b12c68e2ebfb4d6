package org.multiprocessing4j.cluster.hazelcast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * One operation on a state record, as a process asks for it: what to do, on which key, for
 * whom. It travels sealed ({@link Sealer.Label#OP}) inside a {@link StateOp}; the key is part
 * of it so that a sealed operation cannot be replayed on another record.
 *
 * @param code   what to do
 * @param key    the record's key; {@link #ANY_KEY} for {@link Code#SESSION_GONE}, which runs
 *               over every record
 * @param holder who asks: the session, and for a lock also the thread ({@code session/thread})
 * @param desc   who asks, in words for messages ("Process-1 (pid 42 on host a)")
 * @param arg    the operation's number: a kind for {@link Code#CREATE}, holds for an acquire, how many
 *               waiters a condition's signal wakes, whether a barrier has an action, why a barrier's
 *               party leaves ({@link BarrierRecord}), whether a barrier's action succeeded
 * @param arg2   a second number: the initial value for {@link Code#CREATE} (a barrier's parties, a
 *               data chunk's size)
 * @param data   bytes for the data operations ({@link DataChunk}): the values they write or
 *               compare with; empty for the others
 * @param id     for an operation that changes the record, a number of its own, so that the
 *               record can tell the same operation sent again (after its member was lost) and
 *               answer it without applying it twice: the calling thread's id in the high 32
 *               bits, a random odd number in the low ones ({@link #caller}); 0 for the others
 */
record Op(Code code, String key, String holder, String desc, int arg, int arg2, byte[] data, long id) {
    /** The key of an operation that applies to every record. */
    static final String ANY_KEY = "*";
    private static final byte[] NONE = new byte[0];

    /** An operation without data bytes. */
    Op(Code code, String key, String holder, String desc, int arg, int arg2) {
        this(code, key, holder, desc, arg, arg2, NONE, 0);
    }

    /** What an operation does; see {@link State#apply}. */
    enum Code {
        CREATE, LOCK_ACQUIRE, LOCK_RELEASE, LOCK_RELEASE_ALL, LOCK_IS_LOCKED, LOCK_HELD, LOCK_FENCE,
        SEM_ACQUIRE, SEM_RELEASE, SEM_VALUE,
        EVENT_SET, EVENT_CLEAR, EVENT_IS_SET, EVENT_WAIT,
        QUEUE_PUT, QUEUE_TAKEN, QUEUE_DONE, QUEUE_JOIN,
        COND_JOIN, COND_WAIT, COND_LEAVE, COND_SIGNAL,
        BARRIER_ARRIVE, BARRIER_POLL, BARRIER_LEAVE, BARRIER_ACTION_DONE, BARRIER_RESET, BARRIER_ABORT,
        BARRIER_N_WAITING, BARRIER_IS_BROKEN,
        DATA_GET, DATA_SET, DATA_GET_AND_SET, DATA_GET_AND_ADD, DATA_CAS, DATA_READ, DATA_WRITE,
        SESSION_GONE, RELEASE, WAIT_LEAVE,
        PIPE_LOOK, PIPE_TICKET, PIPE_ATTACH, PIPE_CLOSE, PIPE_MOVE
    }

    /**
     * {@return who sent it, for telling an operation sent again: its session and the sending
     * thread} A thread sends one operation at a time, so a record remembers the last change of
     * each caller ({@link State#applied}).
     */
    String caller() {
        return State.sessionOf(holder) + "/" + (id >>> 32);
    }

    /** Equal when every component is, the data bytes compared by content. */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Op o && code == o.code && key.equals(o.key) && holder.equals(o.holder) && desc.equals(o.desc)
                && arg == o.arg && arg2 == o.arg2 && java.util.Arrays.equals(data, o.data) && id == o.id;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(code, key, holder, desc, arg, arg2, id) * 31 + java.util.Arrays.hashCode(data);
    }

    byte[] encode() {
        var bytes = new ByteArrayOutputStream(64 + key.length() + holder.length() + desc.length() + data.length);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(code.ordinal());
            out.writeUTF(key);
            out.writeUTF(holder);
            out.writeUTF(desc);
            out.writeInt(arg);
            out.writeInt(arg2);
            out.writeInt(data.length);
            out.write(data);
            out.writeLong(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * {@return the operation}
     *
     * @param bytes what {@link #encode()} wrote, already checked to be signed by us
     */
    static Op decode(byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Code code = Code.values()[in.readUnsignedByte()];
            String key = in.readUTF();
            String holder = in.readUTF();
            String desc = in.readUTF();
            int arg = in.readInt();
            int arg2 = in.readInt();
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("an operation says " + length + " data bytes follow");
            }
            byte[] data = in.readNBytes(length);
            return new Op(code, key, holder, desc, arg, arg2, data, in.readLong());
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("a malformed operation: " + e, e);
        }
    }
}
