package org.multiprocessing4j.internal.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.wire.proto.Call;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.spi.Links;

/**
 * A run of posted calls (one-way, no reply) from one thread of one process to one object with
 * one op, sent as a single {@code Call} frame whose {@code more_payloads} carry every payload
 * after the first, in order. A link queues the batch like a frame and its sender adds the
 * posts that follow to it until the link's writer {@link #seal seals} it just before writing
 * it: so posts that pile up while the writer is busy share a frame, and a lone post is not
 * held back. The receiver handles the frame as the calls it stands for, one after the other.
 *
 * <p>The bytes are those of an {@link Envelope}, written without protobuf builders (a post is
 * the hot path of a producer). A batch stays under the limit it was made with, except that its
 * first payload is always taken (a post that fills a frame alone goes alone). Thread-safe.
 */
public final class PostBatch implements Links.GrowingFrame {
    /** The largest batch worth making, in bytes, whatever the reader would accept. */
    public static final int MAX_BATCH_BYTES = 64 * 1024;

    private final String to;
    private final String from;
    private final long id;
    private final long object;
    private final int op;
    private final long thread;
    private final int limit;
    private final ByteString first;
    private final List<ByteString> more = new ArrayList<>();
    private final int headerBytes;
    private int moreBytes;
    private long payloadBytes;
    private byte @Nullable [] sealed;

    /**
     * Starts a batch with its first post.
     *
     * @param to      the owner's address
     * @param from    the sender's address
     * @param id      the first call's id (the others have none of their own on the wire)
     * @param object  the object's id at the owner
     * @param op      the operation
     * @param thread  the posting thread's id
     * @param payload the first payload
     * @param limit   the largest frame body the batch may grow to (see {@link #limitFor})
     */
    public PostBatch(String to, String from, long id, long object, int op, long thread, ByteString payload,
            int limit) {
        this.to = to;
        this.from = from;
        this.id = id;
        this.object = object;
        this.op = op;
        this.thread = thread;
        this.first = payload;
        this.limit = limit;
        this.payloadBytes = payload.size();
        int header = 0;
        if (id != 0) {
            header += CodedOutputStream.computeUInt64Size(Call.ID_FIELD_NUMBER, id);
        }
        if (object != 0) {
            header += CodedOutputStream.computeUInt64Size(Call.OBJECT_FIELD_NUMBER, object);
        }
        if (op != 0) {
            header += CodedOutputStream.computeUInt32Size(Call.OP_FIELD_NUMBER, op);
        }
        if (!payload.isEmpty()) {
            header += CodedOutputStream.computeBytesSize(Call.PAYLOAD_FIELD_NUMBER, payload);
        }
        if (thread != 0) {
            header += CodedOutputStream.computeInt64Size(Call.THREAD_FIELD_NUMBER, thread);
        }
        header += CodedOutputStream.computeBoolSize(Call.ONEWAY_FIELD_NUMBER, true);
        this.headerBytes = header;
    }

    /**
     * {@return the limit for batches to that reader: its own, at most {@link #MAX_BATCH_BYTES}, and
     * the smallest any context allows when it is unknown}
     *
     * @param peerMaxFrameSize the largest frame body the reader accepts; 0 when unknown
     */
    public static int limitFor(int peerMaxFrameSize) {
        int known = peerMaxFrameSize <= 0 ? WireConstants.MIN_MAX_FRAME_SIZE : peerMaxFrameSize;
        return Math.min(known, MAX_BATCH_BYTES);
    }

    /**
     * Adds a post, if it goes the same way and the batch is neither sealed nor full.
     *
     * @param to      the owner's address
     * @param from    the sender's address
     * @param object  the object's id
     * @param op      the operation
     * @param thread  the sending thread's id
     * @param payload the post's payload
     * @return true if the batch took it; false if the caller must start another
     */
    public synchronized boolean add(String to, String from, long object, int op, long thread, ByteString payload) {
        if (sealed != null || object != this.object || op != this.op || thread != this.thread
                || !to.equals(this.to) || !from.equals(this.from)) {
            return false;
        }
        int cost = CodedOutputStream.computeBytesSize(Call.MORE_PAYLOADS_FIELD_NUMBER, payload);
        moreBytes += cost;
        if (cost > limit || envelopeBytes() > limit) {
            moreBytes -= cost;
            return false;
        }
        more.add(payload);
        payloadBytes += payload.size();
        return true;
    }

    /** {@return how many calls the batch stands for} */
    public synchronized int count() {
        return 1 + more.size();
    }

    /** {@return the payloads' bytes, for a writer's accounting of what it has queued} */
    public synchronized long payloadBytes() {
        return payloadBytes;
    }

    /**
     * Ends the batch: later {@link #add}s fail. Idempotent.
     *
     * @return the envelope's bytes
     */
    @Override
    public synchronized byte[] seal() {
        if (sealed == null) {
            sealed = encode();
        }
        return sealed;
    }

    private int callBytes() {
        return headerBytes + moreBytes;
    }

    private int envelopeBytes() {
        int size = callBytes();
        int envelope = CodedOutputStream.computeTagSize(Envelope.CALL_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        if (!to.isEmpty()) {
            envelope += CodedOutputStream.computeStringSize(Envelope.TO_FIELD_NUMBER, to);
        }
        if (!from.isEmpty()) {
            envelope += CodedOutputStream.computeStringSize(Envelope.FROM_FIELD_NUMBER, from);
        }
        return envelope;
    }

    private byte[] encode() {
        byte[] bytes = new byte[envelopeBytes()];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            if (!to.isEmpty()) {
                out.writeString(Envelope.TO_FIELD_NUMBER, to);
            }
            if (!from.isEmpty()) {
                out.writeString(Envelope.FROM_FIELD_NUMBER, from);
            }
            out.writeTag(Envelope.CALL_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(callBytes());
            if (id != 0) {
                out.writeUInt64(Call.ID_FIELD_NUMBER, id);
            }
            if (object != 0) {
                out.writeUInt64(Call.OBJECT_FIELD_NUMBER, object);
            }
            if (op != 0) {
                out.writeUInt32(Call.OP_FIELD_NUMBER, op);
            }
            if (!first.isEmpty()) {
                out.writeBytes(Call.PAYLOAD_FIELD_NUMBER, first);
            }
            if (thread != 0) {
                out.writeInt64(Call.THREAD_FIELD_NUMBER, thread);
            }
            out.writeBool(Call.ONEWAY_FIELD_NUMBER, true);
            for (ByteString p : more) {
                out.writeBytes(Call.MORE_PAYLOADS_FIELD_NUMBER, p);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("a post batch did not fit the size computed for it", e);
        }
        return bytes;
    }
}
