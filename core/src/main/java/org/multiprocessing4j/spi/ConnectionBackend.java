package org.multiprocessing4j.spi;

import java.io.EOFException;
import java.io.Serializable;
import org.multiprocessing4j.BufferTooShortException;

/**
 * What {@code Connection} calls: one end of a pipe, moving whole messages of bytes (the
 * connection encodes and decodes values, checks its own closed, readable and writable state
 * and the size limit before calling). It travels to other processes with the connection, so it
 * is a small serializable handle; its methods work in any process of the tree and from any
 * thread. Messages are delivered whole, none lost or duplicated, and in the order each process
 * sent them.
 *
 * <p><b>Holders.</b> An end is held by the process that opened the pipe and by every process
 * that decoded a handle to it ({@link #attach()}); {@link #close()} and the end of a process
 * remove it. End of file at one end — {@link #recv()} throws {@link EOFException} once nothing
 * is buffered, and a blocked {@code recv} is woken with it — comes when no process holds the
 * other end any more, or when a holder of the other end ended without closing it and every
 * remaining holder of it also holds this end (until a process that does not hold this end
 * attaches to the other end). A send to an end nobody holds fails with
 * {@link org.multiprocessing4j.BrokenPipeException}.
 *
 * <p>Other errors are the API's: {@link org.multiprocessing4j.ProcessGoneException} when the
 * process that hosts the pipe's state is gone (not end of file: buffered messages were lost);
 * {@link IllegalStateException} for a call blocked at an end that every holder closed.
 *
 * @since 0.1
 */
public interface ConnectionBackend extends Serializable {

    /**
     * Sends one message to the other end, without waiting for it to be read; but waiting for
     * room while the other end holds as much unread as this pipe buffers (bound it, as an OS
     * pipe does). Not interruptible: an interrupt while waiting is kept for the caller (the flag
     * set again on return), and the message goes exactly once.
     *
     * @param message the message; the backend may keep the array
     * @throws org.multiprocessing4j.BrokenPipeException if the other end is closed
     */
    void send(byte[] message);

    /**
     * Sends {@code size} bytes of {@code buf} from {@code offset} as one message, without
     * waiting for it to be read. The default copies the range and calls {@link #send(byte[])};
     * a backend that has copied the bytes elsewhere by the time it returns (shared memory)
     * overrides it to spare the copy, which for large messages is a fresh array per send.
     *
     * @param buf    the bytes; not kept after the call returns
     * @param offset where the message starts, inside {@code buf}
     * @param size   how many bytes it has, inside {@code buf}
     * @throws org.multiprocessing4j.BrokenPipeException if the other end is closed
     * @since 0.1
     */
    default void send(byte[] buf, int offset, int size) {
        send(java.util.Arrays.copyOfRange(buf, offset, offset + size));
    }

    /**
     * Takes the oldest message at this end, waiting as long as it takes.
     *
     * @return the message, never null
     * @throws EOFException         if nothing is buffered and the other end is closed
     * @throws InterruptedException if interrupted while waiting; no message was taken
     */
    byte[] recv() throws EOFException, InterruptedException;

    /**
     * Takes the oldest message at this end into {@code buf} from {@code offset}, waiting as long
     * as it takes: Python's {@code recv_bytes_into}. The default takes the message with {@link
     * #recv()} and copies it; a backend that can copy a message straight from where it waits
     * (shared memory) overrides it, which spares an array per message.
     *
     * @param buf    where the message goes
     * @param offset where in {@code buf}; the caller has checked that it is within {@code buf}
     * @return the message's length
     * @throws BufferTooShortException if the message is longer than {@code buf} holds from
     *                              {@code offset}: the message is taken all the same and carried
     *                              by the exception ({@link BufferTooShortException#of}), and
     *                              {@code buf} is not written
     * @throws EOFException         if nothing is buffered and the other end is closed
     * @throws InterruptedException if interrupted while waiting; no message was taken
     * @since 0.1
     */
    default int recv(byte[] buf, int offset) throws EOFException, InterruptedException {
        byte[] message = recv();
        if (message.length > buf.length - offset) {
            throw BufferTooShortException.of(message, buf.length - offset, offset);
        }
        System.arraycopy(message, 0, buf, offset, message.length);
        return message.length;
    }

    /**
     * Waits until a message or end of file is there, without taking anything.
     *
     * @param timeoutNanos negative: wait as long as it takes; zero: only check (and do not
     *                     throw {@link InterruptedException}); positive: the limit in nanoseconds
     * @return whether a message or end of file is there: false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    boolean poll(long timeoutNanos) throws InterruptedException;

    /**
     * Makes this process a holder of this end. Called when a handle is decoded in a process,
     * from {@code readObject}, possibly before the process can talk to the pipe's host: it must
     * not block, and must take effect before any later call this process makes on the pipe.
     * It does not throw.
     */
    void attach();

    /**
     * Removes this process from the holders of this end; the end closes when none is left.
     * Called at most once per connection object. Does not throw when the pipe's host is gone.
     */
    void close();
}
