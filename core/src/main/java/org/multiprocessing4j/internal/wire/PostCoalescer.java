package org.multiprocessing4j.internal.wire;

import com.google.protobuf.ByteString;
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
 * A merged frame stays below {@value #MAX_MERGED_BYTES} bytes of payload, far below any
 * frame limit, and a payload larger than that is never merged.
 */
public final class PostCoalescer {
    /** The most payload bytes merged into one frame. */
    static final int MAX_MERGED_BYTES = 64 * 1024;

    private PostCoalescer() {
    }

    /**
     * @param frames frames in the order they are to be written
     * @return the same frames, in the same order, with runs of mergeable posts merged; the list
     *         itself when nothing merges
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
                long bytes = first.getCall().getPayload().size();
                while (end < frames.size() && sameRoute(first, frames.get(end))) {
                    bytes += frames.get(end).getCall().getPayload().size();
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
                && e.getCall().getPayload().size() <= MAX_MERGED_BYTES;
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
