package org.multiprocessing4j.internal;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import org.multiprocessing4j.internal.wire.proto.Envelope;
import org.multiprocessing4j.internal.wire.proto.Output;

/**
 * A child's {@code System.out} or {@code System.err}: bytes are buffered and sent to the parent
 * as {@link Output} frames on flush (a {@link java.io.PrintStream} with auto-flush flushes at
 * each line), so the parent prints each child's output in order. When the parent is gone the
 * output is dropped: there is nobody left to read it.
 */
final class OutputFrameStream extends OutputStream {
    private static final int BUFFER = 8192;

    private final ControlLink link;
    private final Output.Stream stream;
    private final byte[] buffer = new byte[BUFFER];
    private int count;

    OutputFrameStream(ControlLink link, Output.Stream stream) {
        this.link = link;
        this.stream = stream;
    }

    @Override
    public synchronized void write(int b) {
        if (count == buffer.length) {
            flush();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (len >= buffer.length) {
            flush();
            for (int at = 0; at < len; at += buffer.length) {
                send(ByteString.copyFrom(b, off + at, Math.min(buffer.length, len - at)));
            }
            return;
        }
        if (len > buffer.length - count) {
            flush();
        }
        System.arraycopy(b, off, buffer, count, len);
        count += len;
    }

    @Override
    public synchronized void flush() {
        if (count > 0) {
            send(ByteString.copyFrom(buffer, 0, count));
            count = 0;
        }
    }

    private void send(ByteString data) {
        if (link.isBroken()) {
            return;
        }
        try {
            link.send(Envelope.newBuilder()
                    .setOutput(Output.newBuilder().setStream(stream).setData(data))
                    .build());
        } catch (IOException parentGone) {
            // dropped: see the class comment
        }
    }
}
