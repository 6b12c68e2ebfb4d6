package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.EOFException;
import java.io.Serial;
import org.multiprocessing4j.BrokenPipeException;
import org.multiprocessing4j.BufferTooShortException;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.spi.ConnectionBackend;

/**
 * One end of the broker's pipe: calls to the {@link PipeServer} in the pipe's owner, each
 * naming the end it speaks for.
 *
 * @param ref the pipe's handle
 * @param end this end, 0 or 1
 */
public record BrokerConnection(RemoteRef ref, int end) implements ConnectionBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@return this, or what a remote manager's client gets instead ({@link OnBehalf#export})} */
    @Serial
    private Object writeReplace() {
        return OnBehalf.export(this);
    }

    /**
     * Checks the end.
     *
     * @param ref the pipe's handle
     * @param end this end, 0 or 1
     * @throws IllegalArgumentException if {@code end} is neither (also when decoded)
     */
    public BrokerConnection {
        if (end != 0 && end != 1) {
            throw new IllegalArgumentException("a connection's end is 0 or 1, not " + end);
        }
    }

    @Override
    public void send(byte[] message) {
        send(message, 0, message.length);
    }

    /**
     * Sends one message, waiting while the other end's inbox has no room for it (see
     * {@link PipeServer}), as a writer to a full OS pipe does; not interruptible, like a
     * shared-memory pipe's send: an interrupt while waiting leaves the message unsent, and the
     * send goes on waiting, with the interrupt flag set again once it returns.
     */
    @Override
    public void send(byte[] buf, int offset, int size) {
        byte[] payload = new byte[size + 1];
        payload[0] = (byte) end;
        System.arraycopy(buf, offset, payload, 1, size);
        // Ours alone from here on: wrapped, not copied again.
        ByteString call = UnsafeByteOperations.unsafeWrap(payload);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    ref.call(PipeServer.SEND, call, -1);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the owner dropped the send: it is made again
                }
            }
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.CLOSED) {
                throw new BrokenPipeException("<Connection " + this + ">: " + f.getMessage());
            }
            throw translate(f);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public byte[] recv() throws EOFException, InterruptedException {
        return take().toByteArray();
    }

    /** Copies the message from the answer straight into {@code buf}: no array on the way. */
    @Override
    public int recv(byte[] buf, int offset) throws EOFException, InterruptedException {
        ByteString message = take();
        if (message.size() > buf.length - offset) {
            throw BufferTooShortException.of(message.toByteArray(), buf.length - offset, offset);
        }
        message.copyTo(buf, offset);
        return message.size();
    }

    private ByteString take() throws EOFException, InterruptedException {
        try {
            return ref.call(PipeServer.RECV, endByte(), -1);
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.CLOSED) {
                throw new EOFException(f.getMessage());
            }
            throw translate(f);
        }
    }

    @Override
    public boolean poll(long timeoutNanos) throws InterruptedException {
        try {
            return (timeoutNanos == 0
                    ? ref.callNow(PipeServer.POLL, endByte())
                    : ref.call(PipeServer.POLL, endByte(), timeoutNanos)).byteAt(0) == 1;
        } catch (RemoteFailure f) {
            if (f.kind() == FailureKind.TIMEOUT) {
                return false;
            }
            throw translate(f);
        }
    }

    /** Posted, not called: a child decodes its target before its link to the owner is read. */
    @Override
    public void attach() {
        ProcessRuntime.current().router().post(ref.owner(), ref.object(), PipeServer.ATTACH, endByte());
    }

    @Override
    public void close() {
        try {
            ref.callNow(PipeServer.CLOSE, endByte());
        } catch (RemoteFailure gone) {
            // the owner is gone, and the pipe with it
        }
    }

    private ByteString endByte() {
        return ByteString.copyFrom(new byte[] {(byte) end});
    }

    private RuntimeException translate(RemoteFailure f) {
        return switch (f.kind()) {
            case FailureKind.GONE, FailureKind.NO_SUCH_OBJECT -> new ProcessGoneException(
                    "<Connection " + this + "> cannot be used: the pipe's owner " + ref.ownerName() + " is gone ("
                            + f.getMessage() + ")");
            default -> BrokerLock.translate(f);
        };
    }

    @Override
    public String toString() {
        return end + " of pipe #" + ref.object() + " in " + ref.ownerName();
    }
}
