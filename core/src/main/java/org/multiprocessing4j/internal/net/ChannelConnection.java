package org.multiprocessing4j.internal.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.BrokenPipeException;
import org.multiprocessing4j.spi.ConnectionBackend;

/**
 * A connection made by {@code Listener.accept()} or {@code Client.connect}: whole messages over
 * an authenticated socket. A virtual thread reads frames into an inbox, so that {@code poll}
 * with a timeout and {@code Connection.wait} work as on a pipe; it stops reading (and TCP
 * pushes back on the sender) while more than {@value #MAX_BUFFERED} bytes wait to be received.
 *
 * <p>It belongs to the process that opened it: it cannot be sent to another process.
 */
public final class ChannelConnection implements ConnectionBackend {
    @Serial
    private static final long serialVersionUID = 1L;
    static final long MAX_BUFFERED = 64L << 20;

    private final transient ByteChannel channel;
    private final transient String peer;
    private final transient int maxFrameSize;
    private final transient ReentrantLock lock = new ReentrantLock();
    private final transient Condition changed = lock.newCondition();
    private final transient ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private final transient Object writeLock = new Object();
    private transient long buffered;
    private transient boolean ended;
    private transient @Nullable String endReason;
    private transient volatile boolean closed;

    /**
     * A connection over an authenticated channel.
     *
     * @param channel      an authenticated channel, in blocking mode
     * @param peer         the other side's address, for messages
     * @param maxFrameSize the largest message accepted
     */
    public ChannelConnection(ByteChannel channel, String peer, int maxFrameSize) {
        this.channel = channel;
        this.peer = peer;
        this.maxFrameSize = maxFrameSize;
        Thread.ofVirtual().name("multiprocessing4j-reader (" + peer + ")").start(this::readLoop);
    }

    private void readLoop() {
        String reason = null;
        try {
            while (true) {
                byte[] m = BlockingFrames.read(channel, maxFrameSize, peer);
                if (m == null) {
                    break;
                }
                lock.lock();
                try {
                    inbox.addLast(m);
                    buffered += m.length;
                    changed.signalAll();
                    while (buffered > MAX_BUFFERED && !closed) {
                        changed.await();
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (AsynchronousCloseException closedHere) {
            reason = null;
        } catch (IOException | RuntimeException failed) {
            // A garbled or oversize frame, or a reset: the connection is unusable from here on,
            // and readers are told why once they have taken what arrived intact.
            reason = failed.getMessage();
            closeChannel();
        } catch (InterruptedException impossible) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            ended = true;
            endReason = reason;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(byte[] message) {
        synchronized (writeLock) {
            // A socket channel closes itself when a thread with its interrupt flag set writes to
            // it: an interrupt meant for something else would cost the connection. The flag is
            // put aside for the write and given back; only an interrupt during a write that
            // blocks still closes it, as it would any channel.
            boolean interrupted = Thread.interrupted();
            try {
                BlockingFrames.write(channel, message);
            } catch (ClosedByInterruptException e) {
                interrupted = true;
                throw new BrokenPipeException("cannot send to " + peer
                        + ": interrupted while the send was blocked, which closes a socket channel");
            } catch (IOException e) {
                throw new BrokenPipeException("cannot send to " + peer + ": " + e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public byte[] recv() throws EOFException, InterruptedException {
        lock.lockInterruptibly();
        try {
            while (inbox.isEmpty()) {
                if (ended) {
                    throw new EOFException(endReason == null ? peer + " closed the connection"
                            : "the connection to " + peer + " failed: " + endReason);
                }
                changed.await();
            }
            byte[] m = inbox.pollFirst();
            buffered -= m.length;
            changed.signalAll();
            return m;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean poll(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos == 0) {
            lock.lock();
        } else {
            lock.lockInterruptibly();
        }
        try {
            long left = timeoutNanos;
            while (inbox.isEmpty() && !ended) {
                if (timeoutNanos == 0) {
                    return false;
                }
                if (timeoutNanos < 0) {
                    changed.await();
                } else {
                    if (left <= 0) {
                        return false;
                    }
                    left = changed.awaitNanos(left);
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void attach() {
        // Never decoded anywhere: writeObject refuses to encode it.
    }

    @Override
    public void close() {
        closed = true;
        closeChannel();
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException(getClass().getName() + " (a connection made by Listener or Client to "
                + peer + " belongs to the process that opened it and cannot be sent to another process; "
                + "use a Pipe, or let the other process connect itself)");
    }

    @Serial
    private void readObject(java.io.ObjectInputStream in) throws IOException {
        throw new java.io.InvalidObjectException("a Listener or Client connection cannot be decoded");
    }

    @Override
    public String toString() {
        return "socket to " + peer;
    }
}
