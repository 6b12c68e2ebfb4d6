package org.multiprocessing4j.internal.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.internal.wire.proto.Call;
import org.multiprocessing4j.internal.wire.proto.Envelope;

/**
 * Merges runs of posted calls into one frame each, for a writer that has several frames to
 * write at once: consecutive one-way calls from one thread to one object with one op (a
 * producer's posted puts) become a single call whose {@code more_payloads} carry the others,
 * in order. The receiver handles such a frame as the calls it stands for, one after the other,
 * so order per route is kept; what the writer did not have queued together is not delayed.
 * A merged frame is at most {@value #MAX_MERGED_BYTES} bytes, the smallest frame limit a
 * context allows ({@link WireConstants#MIN_MAX_FRAME_SIZE}), so it fits whatever limit the
 * reader has; a post that already fills that much is sent alone.
 */
public final class PostCoalescer {
    /** The largest merged envelope, in bytes. */
    static final int MAX_MERGED_BYTES = WireConstants.MIN_MAX_FRAME_SIZE;
    /** Room for the call's length prefix, which grows as payloads join it. */
    private static final int PREFIX_SLACK = 4;

    private PostCoalescer() {
    }

    /**
     * {@return the same frames, in the same order, with runs of mergeable posts merged; the list
     * itself when nothing merges}
     *
     * @param frames frames in the order they are to be written
     */
    public static List<Envelope> coalesce(List<Envelope> frames) {
        if (frames.size() < 2) {
            return frames;
        }
        List<Envelope> out = new ArrayList<>(frames.size());
        int i = 0;
        while (i < frames.size()) {
            Envelope first = frames.get(i);
            int end = i + 1;
            if (isPost(first)) {
                long bytes = first.getSerializedSize() + PREFIX_SLACK;
                while (end < frames.size() && sameRoute(first, frames.get(end))) {
                    // field 8's tag is one byte, then the payload with its length
                    bytes += 1 + CodedOutputStream.computeBytesSizeNoTag(frames.get(end).getCall().getPayload());
                    if (bytes > MAX_MERGED_BYTES) {
                        break;
                    }
                    end++;
                }
            }
            out.add(end == i + 1 ? first : merge(frames.subList(i, end)));
            i = end;
        }
        return out.size() == frames.size() ? frames : out;
    }

    private static boolean isPost(Envelope e) {
        return e.hasCall() && e.getCall().getOneway() && e.getCall().getMorePayloadsCount() == 0
                && e.getSerializedSize() + PREFIX_SLACK < MAX_MERGED_BYTES;
    }

    private static boolean sameRoute(Envelope first, Envelope e) {
        if (!isPost(e)) {
            return false;
        }
        Call a = first.getCall();
        Call b = e.getCall();
        return a.getObject() == b.getObject() && a.getOp() == b.getOp() && a.getThread() == b.getThread()
                && a.getTimeoutNanos() == b.getTimeoutNanos()
                && first.getTo().equals(e.getTo()) && first.getFrom().equals(e.getFrom());
    }

    private static Envelope merge(List<Envelope> run) {
        Call.Builder call = run.get(0).getCall().toBuilder();
        for (int k = 1; k < run.size(); k++) {
            ByteString payload = run.get(k).getCall().getPayload();
            call.addMorePayloads(payload);
        }
        return run.get(0).toBuilder().setCall(call).build();
    }
}
