package org.multiprocessing4j.cluster.hazelcast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * What an operation on a state record answered; it travels sealed
 * ({@link Sealer.Label#ANSWER}).
 *
 * @param status what happened
 * @param number the operation's number (holds released, permits free, a flag as 0 or 1)
 * @param text   for {@link Status#OK} of an acquire, who died holding what was acquired (empty
 *               if nobody); for the others, the reason
 * @param data   the bytes a data read answers ({@link DataChunk}); empty for the others
 */
record Answer(Status status, long number, String text, byte[] data) {
    private static final byte[] NONE = new byte[0];

    /** An answer without data bytes. */
    Answer(Status status, long number, String text) {
        this(status, number, text, NONE);
    }

    /** How an operation ended. */
    enum Status {
        /** Done. */
        OK,
        /** Cannot be done now (a held lock, no permit, a full queue): try again when it changes. */
        WAIT,
        /** The record's owner process ended: the primitive is gone. */
        GONE,
        /** Not allowed (an unlocked lock released, a bound passed). */
        ILLEGAL,
        /** The barrier is broken; the text says why. */
        BROKEN,
        /** Refused: not signed with the authkey, or malformed. */
        REFUSED
    }

    static Answer ok(long number) {
        return new Answer(Status.OK, number, "");
    }

    static Answer of(Status status, String text) {
        return new Answer(status, 0, text);
    }

    /** Equal when every component is, the data bytes compared by content. */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Answer o && status == o.status && number == o.number && text.equals(o.text)
                && java.util.Arrays.equals(data, o.data);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(status, number, text) * 31 + java.util.Arrays.hashCode(data);
    }

    byte[] encode() {
        var bytes = new ByteArrayOutputStream(16 + text.length() + data.length);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(status.ordinal());
            out.writeLong(number);
            out.writeUTF(text);
            out.writeInt(data.length);
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Answer decode(byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Status status = Status.values()[in.readUnsignedByte()];
            long number = in.readLong();
            String text = in.readUTF();
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("an answer says " + length + " data bytes follow");
            }
            return new Answer(status, number, text, in.readNBytes(length));
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("a malformed answer: " + e, e);
        }
    }
}
