package org.multiprocessing4j.cluster.hazelcast;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The operations on a chunk of the bytes of a {@code Value} or an {@code Array} kept in the
 * cluster ({@link ClusterData}): a state record of kind {@link State.Kind#DATA}, so each
 * operation runs on the member that owns the chunk, atomically, and the chunk is sealed, owned
 * and gone with its owner like every record. Numbers are little-endian, as the SPI says.
 *
 * <p>{@code arg} is the offset in the chunk; {@code arg2} the width (4 or 8) of a number, or
 * the length of a read; {@code data} the number written or added (8 bytes), the expected and
 * the new number of a compare-and-set (16 bytes), or the bytes of a write. An answer's number
 * is the number before (sign-extended from an int), or 1/0 for a compare-and-set; a read
 * answers its bytes.
 */
final class DataChunk {
    /** The most bytes one chunk holds: an element operation re-seals one chunk, not the array. */
    static final int MAX_BYTES = 16 << 10;

    private DataChunk() {
    }

    static State.Step apply(State s, Op op) {
        if (s.kind != State.Kind.DATA) {
            return s.unchanged(Answer.of(Answer.Status.ILLEGAL, "a data operation on a " + s.kind.display));
        }
        ByteBuffer b = ByteBuffer.wrap(s.data).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer d = ByteBuffer.wrap(op.data()).order(ByteOrder.LITTLE_ENDIAN);
        int offset = op.arg();
        int width = op.arg2();
        boolean number = op.code() != Op.Code.DATA_READ && op.code() != Op.Code.DATA_WRITE;
        int span = op.code() == Op.Code.DATA_WRITE ? op.data().length : width;
        if (number && width != 4 && width != 8 || offset < 0 || span < 0 || offset > s.data.length - span
                || number && offset % width != 0) {
            return s.unchanged(Answer.of(Answer.Status.ILLEGAL, "a data operation at " + offset + " of " + span
                    + " bytes in a chunk of " + s.data.length));
        }
        return run(s, op, b, d, offset, width);
    }

    private static State.Step run(State s, Op op, ByteBuffer b, ByteBuffer d, int offset, int width) {
        return switch (op.code()) {
            case DATA_GET -> s.unchanged(Answer.ok(get(b, offset, width)));
            case DATA_SET -> {
                put(b, offset, width, d.getLong(0));
                yield s.changed(Answer.ok(0));
            }
            case DATA_GET_AND_SET -> {
                long before = get(b, offset, width);
                put(b, offset, width, d.getLong(0));
                yield s.changed(Answer.ok(before));
            }
            case DATA_GET_AND_ADD -> {
                long before = get(b, offset, width);
                put(b, offset, width, before + d.getLong(0));
                yield s.changed(Answer.ok(before));
            }
            case DATA_CAS -> {
                long expected = d.getLong(0);
                if (get(b, offset, width) != (width == 4 ? (int) expected : expected)) {
                    yield s.unchanged(Answer.ok(0));
                }
                put(b, offset, width, d.getLong(8));
                yield s.changed(Answer.ok(1));
            }
            case DATA_READ -> {
                byte[] out = new byte[width];
                System.arraycopy(s.data, offset, out, 0, width);
                yield s.unchanged(new Answer(Answer.Status.OK, 0, "", out));
            }
            case DATA_WRITE -> {
                System.arraycopy(op.data(), 0, s.data, offset, op.data().length);
                yield s.changed(Answer.ok(0));
            }
            default -> throw new AssertionError(op.code());
        };
    }

    private static long get(ByteBuffer b, int offset, int width) {
        return width == 4 ? b.getInt(offset) : b.getLong(offset);
    }

    private static void put(ByteBuffer b, int offset, int width, long value) {
        if (width == 4) {
            b.putInt(offset, (int) value);
        } else {
            b.putLong(offset, value);
        }
    }
}
