package org.multiprocessing4j.ipc.sharedmem;

import static org.multiprocessing4j.ipc.sharedmem.PipeDescriptor.HOLDERS;
import static org.multiprocessing4j.ipc.sharedmem.PipeDescriptor.closed;
import static org.multiprocessing4j.ipc.sharedmem.PipeDescriptor.holder;

import java.io.EOFException;
import java.io.Serial;
import java.lang.foreign.MemorySegment;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.BrokenPipeException;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.spi.ConnectionBackend;

/**
 * One end of a {@code Pipe} in shared memory: it receives from its own ring and sends into the
 * other end's (solo rings of {@link SharedQueue}: messages of any size, one sender and one
 * receiver at a time of whichever processes hold the end, robust to deaths mid-send or
 * mid-receive), and keeps its holders in the pipe's block ({@link PipeDescriptor}).
 *
 * <p>End of file at this end: the other end closed for good (its last holder closed it), or,
 * looked up once the first slice of a wait is over, no live process holds the other end, or one
 * that held it died and every live holder of it also holds this end (the parent that kept its
 * copy of a dead child's end). A receiver drains what was sent before it reports end of file.
 * A send fails with {@link BrokenPipeException} when the other end is closed for good, or when
 * no live process holds it: looked up every {@link #HOLDER_CHECK_NANOS} while there is room,
 * and between slices while it waits for room ({@value PipeDescriptor#CAPACITY} messages
 * unread).
 *
 * <p>Virtual threads (which {@code Connection.wait} uses) wait by parking rather than in
 * {@code futex}, which would hold their carrier thread.
 */
final class SharedConnection extends SharedPrimitive implements ConnectionBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * How often a send that finds room still looks for the readers at the other end: a reader
     * that died without closing makes the sends fail soon, not after the ring's
     * {@value PipeDescriptor#CAPACITY} messages (an OS pipe fails the first). Their liveness is
     * itself known {@link ProcessIdentity#isAliveRecently recently}, to about 10 ms.
     */
    private static final long HOLDER_CHECK_NANOS = 10_000_000;

    private final int end;
    private final SharedQueue inbox;
    private final SharedQueue outbox;
    /** When a send next looks for the readers ({@link System#nanoTime()}); racy, and only a hint. */
    private transient long nextHolderCheck;
    /** Whether a send looked for the readers yet ({@link #nextHolderCheck} means nothing before). */
    private transient boolean holderChecked;

    /**
     * @param block  the pipe's holder block
     * @param end    0 or 1
     * @param inbox  the queue of messages to this end
     * @param outbox the queue of messages to the other end
     */
    SharedConnection(SharedBlock block, int end, SharedQueue inbox, SharedQueue outbox) {
        super(block);
        this.end = end;
        this.inbox = inbox;
        this.outbox = outbox;
    }

    /** {@return the names of the segments of this pipe's two rings; for tests} */
    java.util.List<String> ringSegments() {
        return java.util.List.of(inbox.block.segment(), outbox.block.segment());
    }

    @Override
    public void send(byte[] message) {
        send(message, 0, message.length);
    }

    /** Copies the range straight into shared memory: no copy of the caller's array first. */
    @Override
    public void send(byte[] buf, int offset, int size) {
        MemorySegment m = memory();
        boolean interrupted = false;
        try {
            for (long slice = 0; ; slice = Waiting.SLICE_NANOS) {
                boolean lookUp = slice != 0;
                if (!lookUp) {
                    long now = System.nanoTime();
                    if (!holderChecked || now - nextHolderCheck >= 0) {
                        nextHolderCheck = now + HOLDER_CHECK_NANOS;
                        holderChecked = true;
                        lookUp = true;
                    }
                }
                if (Words.getInt(m, closed(1 - end)) != 0 || lookUp && !anyLiveHolder(m, 1 - end)) {
                    throw new BrokenPipeException("the other end of the pipe " + block + " is closed");
                }
                try {
                    outbox.put(buf, offset, size, slice);
                    return;
                } catch (Queue.Full full) {
                    // Wait for room a slice at a time, looking for the readers in between.
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public byte[] recv() throws EOFException, InterruptedException {
        return receive(inbox::poll);
    }

    /** Copies the message straight from shared memory into {@code buf}: no array on the way. */
    @Override
    public int recv(byte[] buf, int offset) throws EOFException, InterruptedException {
        return receive(() -> {
            int length = inbox.pollInto(buf, offset);
            return length < 0 ? null : length;
        });
    }

    /** One attempt of a receive that does not wait: what it took, or null if nothing was there. */
    private interface Attempt<T> {
        @Nullable T take();
    }

    /**
     * {@return what {@code attempt} takes, waiting for a message as long as it takes}
     *
     * @throws EOFException if nothing is buffered and the other end is closed
     */
    private <T> T receive(Attempt<T> attempt) throws EOFException, InterruptedException {
        MemorySegment m = memory();
        Waiting waiting = null;
        while (true) {
            T message = attempt.take();
            if (message != null) {
                return message;
            }
            boolean lookUp = false;
            if (waiting == null) {
                waiting = new Waiting(-1);
            } else if (waiting.sliceOver()) {
                block.checkCreatorNow();
                lookUp = true;
            }
            if (atEnd(m, lookUp)) {
                message = attempt.take();
                if (message == null) {
                    throw new EOFException("end of file: the other end of the pipe " + block + " is closed");
                }
                return message;
            }
            inbox.pauseAtHead(waiting);
        }
    }

    @Override
    public boolean poll(long timeoutNanos) throws InterruptedException {
        MemorySegment m = memory();
        if (inbox.itemAtHead() || atEnd(m, timeoutNanos == 0)) {
            return true;
        }
        if (timeoutNanos == 0) {
            return false;
        }
        Waiting waiting = new Waiting(timeoutNanos);
        boolean lookUp = false;
        while (true) {
            boolean more = inbox.pauseAtHead(waiting);
            if (inbox.itemAtHead() || atEnd(m, lookUp || !more)) {
                return true;
            }
            if (!more) {
                return false;
            }
            if (waiting.sliceOver()) {
                block.checkCreatorNow();
                lookUp = true;
            }
        }
    }

    /**
     * {@return whether this end is at end of file}
     *
     * @param lookUp whether to look at the other end's holders (reads {@code /proc}, at most
     *               once per 10 ms per process), not only at its closed flag
     * @throws IllegalStateException if every holder closed this end meanwhile
     */
    private boolean atEnd(MemorySegment m, boolean lookUp) {
        checkHeld(m);
        if (Words.getInt(m, closed(1 - end)) != 0) {
            return true;
        }
        if (!lookUp) {
            return false;
        }
        boolean anyLive = false;
        boolean anyDead = false;
        boolean liveHoldThisEnd = true;
        for (int i = 0; i < HOLDERS; i++) {
            long h = Words.getLong(m, holder(1 - end, i));
            if (h == 0) {
                continue;
            }
            if (ProcessIdentity.isAliveRecently(h)) {
                anyLive = true;
                liveHoldThisEnd &= holds(m, end, h);
            } else {
                anyDead = true;
            }
        }
        return !anyLive || anyDead && liveHoldThisEnd;
    }

    /**
     * @throws IllegalStateException if every holder closed this end (this object is a copy of an
     *                               end its process closed through another, or was received
     *                               after its sender closed its own): nothing can arrive here
     */
    private void checkHeld(MemorySegment m) {
        if (Words.getInt(m, closed(end)) != 0) {
            throw new IllegalStateException("the connection " + block + " was closed by every process holding it"
                    + " (close() on any copy of an end ends its process's hold; an end sent in a message must"
                    + " stay open in the sender until the receiver has it)");
        }
    }

    private static boolean anyLiveHolder(MemorySegment m, int e) {
        for (int i = 0; i < HOLDERS; i++) {
            long h = Words.getLong(m, holder(e, i));
            if (h != 0 && ProcessIdentity.isAliveRecently(h)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holds(MemorySegment m, int e, long process) {
        for (int i = 0; i < HOLDERS; i++) {
            if (Words.getLong(m, holder(e, i)) == process) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void attach() {
        try {
            hold(block.memory(), end);
        } catch (RuntimeException gone) {
            // The pipe is gone with its tree's root: the first real call says so.
        }
    }

    /**
     * Makes this process a holder of end {@code e}, if it is not one yet. When the table is full,
     * it takes the place of a holder that died without closing (the children that a pipe
     * outlives, one after another); beyond {@value PipeDescriptor#HOLDERS} live holding
     * processes, one more is not recorded.
     */
    static void hold(MemorySegment m, int e) {
        long me = ProcessIdentity.current();
        if (holds(m, e, me)) {
            return;
        }
        for (int i = 0; i < HOLDERS; i++) {
            if (Words.getLong(m, holder(e, i)) == 0 && Words.casLong(m, holder(e, i), 0, me)) {
                return;
            }
        }
        for (int i = 0; i < HOLDERS; i++) {
            long h = Words.getLong(m, holder(e, i));
            if (h != 0 && ProcessIdentity.isSurelyDead(h) && Words.casLong(m, holder(e, i), h, me)) {
                return;
            }
        }
    }

    @Override
    public void close() {
        MemorySegment m;
        try {
            m = block.memory();
        } catch (RuntimeException gone) {
            return;
        }
        long me = ProcessIdentity.current();
        for (int i = 0; i < HOLDERS; i++) {
            Words.casLong(m, holder(end, i), me, 0);
        }
        if (!anyLiveHolder(m, end)) {
            Words.setInt(m, closed(end), 1);
        }
        // Readers at both ends look again: the other end's for end of file, this end's to fail.
        wakeAtHead(outbox);
        wakeAtHead(inbox);
        if (Words.getInt(m, closed(0)) != 0 && Words.getInt(m, closed(1)) != 0) {
            // Closed for good both ways: nobody may use the queues again; their files go now
            // (mappings stay valid), not at the root's exit.
            Payload.unlinkQuietly(inbox.block.segment());
            Payload.unlinkQuietly(outbox.block.segment());
        }
    }

    /**
     * Wakes whoever sleeps at the queue's head, if its file can still be mapped here. It cannot
     * once both ends were closed for good elsewhere in the meantime (the last close removes the
     * queues' files): that close woke both heads after both ends were marked closed, so nobody
     * is left to wake; nor is anybody when the queue's creator is gone. A close never fails for
     * either (a manager's server whose starter closed the other end at the same moment died of
     * it, 2026-12-07).
     */
    private static void wakeAtHead(SharedQueue queue) {
        try {
            queue.wakeAtHead();
        } catch (ProcessGoneException alreadyWoken) {
            // see above
        }
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SharedConnection c && c.block.equals(block) && c.end == end;
    }

    @Override
    public int hashCode() {
        return block.hashCode() * 2 + end;
    }

    @Override
    public String toString() {
        return block + " end " + end;
    }
}
