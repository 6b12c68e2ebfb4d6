package org.multiprocessing4j.cluster.hazelcast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What an operation on a state record answered; it travels sealed
 * ({@link Sealer.Label#ANSWER}).
 *
 * @param status what happened
 * @param number the operation's number (holds released, permits free, a flag as 0 or 1)
 * @param text   for {@link Status#OK} of an acquire, who died holding what was acquired (empty
 *               if nobody); for the others, the reason
 */
record Answer(Status status, long number, String text) {

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

    byte[] encode() {
        var bytes = new ByteArrayOutputStream(16 + text.length());
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(status.ordinal());
            out.writeLong(number);
            out.writeUTF(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Answer decode(byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return new Answer(Status.values()[in.readUnsignedByte()], in.readLong(), in.readUTF());
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("a malformed answer: " + e, e);
        }
    }
}
