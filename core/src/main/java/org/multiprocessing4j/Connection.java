package org.multiprocessing4j;

import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.spi.ConnectionBackend;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}.
 *
 * <p>Messages are delivered whole and in the order each process sent them. {@link #send}
 * encodes a value with the context's codec and {@link #recv} decodes it; {@link #sendBytes}
 * and {@link #recvBytes} move raw bytes. Pair them as in Python: {@code recv} of a
 * {@code sendBytes} message decodes bytes that were never encoded.
 *
 * <p>A connection captured by a target (or sent inside a message) travels as a handle to its
 * end, and the process that decodes it becomes a <em>holder</em> of that end. <b>End of
 * file</b>: {@link #recv} throws {@link EOFException} once nothing is buffered and the other
 * end is closed, which happens when
 * <ul>
 *   <li>every process that held the other end has {@link #close() closed} it or ended; or
 *   <li>a holder of the other end ends without closing it, and every remaining holder of the
 *       other end also holds this one. This is the parent that forgot to close its copy of
 *       the child's end: where Python's {@code recv} would hang forever after the child dies,
 *       it gets end of file here. Should a process that does not hold this end decode a
 *       handle to the other end later, the other end is open again.
 * </ul>
 * A {@code recv} blocked at that moment is woken with {@link EOFException}. A connection that
 * is garbage-collected is not closed: close it, or let its process end.
 *
 * <p>The pipe's messages live in its owner, the process that opened it. Every method throws
 * {@link ProcessGoneException} once the owner has ended. Methods may be called from any thread.
 *
 * <p><b>Room.</b> As with an OS pipe, what is sent and not yet received is bounded: a send
 * waits while the other end holds as much as its transport buffers (4 MiB on the broker's pipe;
 * on shared memory 1,024 messages, whatever their size, so large unread messages can fill
 * {@code /dev/shm}; the cluster transport does not bound it yet), and fails with
 * {@link BrokenPipeException} if that end is closed meanwhile. A waiting send is not
 * interruptible: an interrupt is kept for the caller, and the message goes once. So, as in Python, two processes that each send more than that before
 * receiving wait for each other; receive on another thread where that can happen.
 *
 * @since 0.1
 */
public final class Connection implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Room in a frame for everything but the message. */
    private static final int FRAME_OVERHEAD = 4096;

    /** This end of the pipe. @serial */
    private final ConnectionBackend backend;
    /** Whether this end may receive. @serial */
    private final boolean readable;
    /** Whether this end may send. @serial */
    private final boolean writable;
    private transient volatile boolean closed;

    Connection(ConnectionBackend backend, boolean readable, boolean writable) {
        this.backend = backend;
        this.readable = readable;
        this.writable = writable;
    }

    /**
     * Sends a value, encoded with the context's codec.
     *
     * @param value the value, may be null
     * @throws CodecException          if it cannot be encoded (the message names the class)
     * @throws IllegalArgumentException if it encodes to more than the context's maximum frame
     *                                  size allows
     * @throws BrokenPipeException     if the other end is closed
     * @throws IllegalStateException   if this connection is closed or receive-only
     * @throws ProcessGoneException    if the pipe's owner has ended
     */
    public void send(@Nullable Object value) {
        checkWritable();
        sendRaw(ProcessRuntime.current().context().codec().encode(value));
    }

    /**
     * Sends bytes as one message, Python's {@code send_bytes}.
     *
     * @param buf the bytes; not kept
     * @throws IllegalArgumentException if it is more than the context's maximum frame size allows
     * @throws BrokenPipeException     if the other end is closed
     * @throws IllegalStateException   if this connection is closed or receive-only
     * @throws ProcessGoneException    if the pipe's owner has ended
     */
    public void sendBytes(byte[] buf) {
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Sends {@code size} bytes of {@code buf} from {@code offset} as one message.
     *
     * @param buf    the bytes; not kept
     * @param offset where the message starts
     * @param size   how many bytes it has
     * @throws IndexOutOfBoundsException if the range is not inside {@code buf}
     * @throws IllegalArgumentException  if it is more than the context's maximum frame size allows
     * @throws BrokenPipeException      if the other end is closed
     * @throws IllegalStateException    if this connection is closed or receive-only
     * @throws ProcessGoneException     if the pipe's owner has ended
     */
    public void sendBytes(byte[] buf, int offset, int size) {
        Objects.checkFromIndexSize(offset, size, buf.length);
        checkWritable();
        checkSize(size);
        backend.send(buf, offset, size);
    }

    /**
     * Receives a value, waiting as long as it takes.
     *
     * @return the value, may be null
     * @throws EOFException          if nothing is buffered and the other end is closed
     * @throws InterruptedException  if interrupted while waiting; no message is taken
     * @throws CodecException        if the message cannot be decoded
     * @throws IllegalStateException if this connection is closed or send-only
     * @throws ProcessGoneException  if the pipe's owner has ended
     */
    public @Nullable Object recv() throws EOFException, InterruptedException {
        return ProcessRuntime.current().context().codec().decode(recvBytes());
    }

    /**
     * Receives one message's bytes, Python's {@code recv_bytes()}.
     *
     * @return the message
     * @throws EOFException          if nothing is buffered and the other end is closed
     * @throws InterruptedException  if interrupted while waiting; no message is taken
     * @throws IllegalStateException if this connection is closed or send-only
     * @throws ProcessGoneException  if the pipe's owner has ended
     */
    public byte[] recvBytes() throws EOFException, InterruptedException {
        checkReadable();
        return backend.recv();
    }

    /**
     * Receives one message's bytes, Python's {@code recv_bytes(maxlength)}. Unlike Python
     * (whose connection becomes unusable), a longer message is taken and carried by the
     * exception, and the connection stays usable.
     *
     * @param maxLength the longest message accepted
     * @return the message
     * @throws BufferTooShortException if the message is longer than {@code maxLength}; it carries
     *                                 the message
     * @throws EOFException            if nothing is buffered and the other end is closed
     * @throws InterruptedException    if interrupted while waiting; no message is taken
     * @throws IllegalArgumentException if {@code maxLength} is negative
     * @throws IllegalStateException   if this connection is closed or send-only
     * @throws ProcessGoneException    if the pipe's owner has ended
     */
    public byte[] recvBytes(int maxLength) throws EOFException, InterruptedException {
        if (maxLength < 0) {
            throw new IllegalArgumentException("negative maxLength " + maxLength);
        }
        byte[] message = recvBytes();
        if (message.length > maxLength) {
            throw new BufferTooShortException("a message of " + message.length + " bytes is longer than maxLength "
                    + maxLength, message);
        }
        return message;
    }

    /**
     * Receives one message into {@code buf} from {@code offset}, Python's
     * {@code recv_bytes_into}.
     *
     * @param buf    where the message goes
     * @param offset where in {@code buf}
     * @return the message's length
     * @throws BufferTooShortException  if it does not fit; it carries the message, and
     *                                  {@code buf} is not changed
     * @throws IndexOutOfBoundsException if {@code offset} is not in {@code [0, buf.length]}
     * @throws EOFException             if nothing is buffered and the other end is closed
     * @throws InterruptedException     if interrupted while waiting; no message is taken
     * @throws IllegalStateException    if this connection is closed or send-only
     * @throws ProcessGoneException     if the pipe's owner has ended
     */
    public int recvBytesInto(byte[] buf, int offset) throws EOFException, InterruptedException {
        Objects.checkFromToIndex(offset, buf.length, buf.length);
        checkReadable();
        return backend.recv(buf, offset);
    }

    /**
     * Receives one message into {@code buf}, Python's {@code recv_bytes_into(buf)}.
     *
     * @param buf where the message goes
     * @return the message's length
     * @throws BufferTooShortException if it does not fit; it carries the message
     * @throws EOFException            if nothing is buffered and the other end is closed
     * @throws InterruptedException    if interrupted while waiting; no message is taken
     * @throws IllegalStateException   if this connection is closed or send-only
     * @throws ProcessGoneException    if the pipe's owner has ended
     */
    public int recvBytesInto(byte[] buf) throws EOFException, InterruptedException {
        return recvBytesInto(buf, 0);
    }

    /**
     * Whether a message or end of file is there now, without waiting.
     *
     * @return true if {@link #recv} would not block
     * @throws IllegalStateException if this connection is closed or send-only
     * @throws ProcessGoneException  if the pipe's owner has ended
     */
    public boolean poll() {
        checkReadable();
        return Primitives.withoutWaiting(() -> backend.poll(0));
    }

    /**
     * Waits at most {@code timeout} for a message or end of file, Python's {@code poll(timeout)}.
     *
     * @param timeout how long to wait; null waits as long as it takes; zero or negative only checks
     * @return true if {@link #recv} would not block
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if this connection is closed or send-only
     * @throws ProcessGoneException  if the pipe's owner has ended
     */
    public boolean poll(@Nullable Duration timeout) throws InterruptedException {
        checkReadable();
        return backend.poll(Primitives.timeoutNanos(timeout));
    }

    /**
     * Closes this process's hold on this end. The end closes when no process holds it any more
     * (see the class comment); the other end then reads end of file. Idempotent; does not
     * throw if the pipe's owner has ended.
     *
     * <p>A process holds an end once, however many {@code Connection} objects it has for it (one
     * captured by its target and another received in a message, say): closing one of them
     * ends the hold of all, and once no process holds the end, {@code recv} and {@code poll}
     * on the others throw {@link IllegalStateException}, where Python's duplicated handles
     * would still work. So keep an end open that you send in a message until its receiver has
     * it (Python duplicates it as it is sent); the cluster transport holds it in flight itself.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        backend.close();
    }

    /** {@return true once {@link #close()} was called on this object} */
    public boolean isClosed() {
        return closed;
    }

    /** {@return whether this end may receive (false for the send-only end of a one-way pipe)} */
    public boolean readable() {
        return readable;
    }

    /** {@return whether this end may send (false for the receive-only end of a one-way pipe)} */
    public boolean writable() {
        return writable;
    }

    /**
     * Waits until at least one of {@code objects} is ready, Python's
     * {@code multiprocessing.connection.wait}: a {@link Connection} when {@link #poll()} would
     * be true (a message or end of file), a started {@link Process} when it has ended (Python's
     * sentinel). Each object is watched from its own virtual thread; the owners keep the
     * waits, nothing spins.
     *
     * @param objects connections and processes
     * @param timeout how long to wait; null waits as long as it takes; zero or negative only checks
     * @return the ready ones, in the order of {@code objects}; empty if none was ready in time
     * @throws IllegalArgumentException if an object is neither a connection nor a process
     * @throws IllegalStateException    if a connection is closed or send-only, or a process was
     *                                  not started
     * @throws ProcessGoneException     if a connection's owner has ended
     * @throws InterruptedException     if interrupted while waiting
     */
    public static List<Object> wait(Collection<?> objects, @Nullable Duration timeout) throws InterruptedException {
        return ConnectionWait.waitFor(objects, timeout);
    }

    private void sendRaw(byte[] message) {
        checkSize(message.length);
        backend.send(message);
    }

    private static void checkSize(int size) {
        int limit = ProcessRuntime.current().context().maxFrameSize() - FRAME_OVERHEAD;
        if (size > limit) {
            throw new IllegalArgumentException("a message of " + size + " bytes is more than the "
                    + limit + " the context's maxFrameSize allows; raise Context.Builder.maxFrameSize or send less");
        }
    }

    private void checkOpen() {
        if (closed) {
            // Python's words ("handle is closed"), and which connection
            throw new IllegalStateException("handle is closed: " + this + " was closed in this process");
        }
    }

    private void checkWritable() {
        checkOpen();
        if (!writable) {
            throw new IllegalStateException("connection is read-only");
        }
    }

    private void checkReadable() {
        checkOpen();
        if (!readable) {
            throw new IllegalStateException("connection is write-only");
        }
    }

    /**
     * Writes the handle of this end; a closed end cannot travel.
     *
     * @param out the stream
     * @throws IOException if this end is closed ({@link NotSerializableException})
     */
    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        if (closed) {
            throw new NotSerializableException(getClass().getName() + " (" + this + " is closed: handle is closed)");
        }
        out.defaultWriteObject();
    }

    /**
     * Decoded in a process: it becomes a holder of this end before any call it makes on it.
     *
     * @param in the stream
     * @throws IOException            if the stream is not a connection's handle
     * @throws ClassNotFoundException if a class of the handle is missing
     */
    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (backend == null) {
            throw new java.io.InvalidObjectException("a connection without its end");
        }
        backend.attach();
    }

    @Override
    public String toString() {
        String mode = readable && writable ? "duplex" : readable ? "read-only" : "write-only";
        return "<Connection " + backend + ", " + mode
                + (closed ? ", closed" : "") + ">";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Connection other && other.backend.equals(backend);
    }

    @Override
    public int hashCode() {
        return backend.hashCode();
    }
}
