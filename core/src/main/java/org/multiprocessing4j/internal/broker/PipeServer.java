package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The owner's side of a {@code Pipe}: two ends, each with the messages waiting to be read
 * there, the calls waiting to read them, and the processes that hold it.
 *
 * <p>Every call's payload starts with the end (0 or 1) the caller speaks for; a message sent
 * from end {@code e} is read at end {@code 1 - e}.
 *
 * <p><b>Holders and end of file.</b> An end is held by the process that created the pipe and
 * by every process that decoded a handle to it ({@link #ATTACH}); {@link #CLOSE} and the end of
 * a process remove it. An end nobody holds is closed for good: its unread messages are dropped,
 * sends to it fail {@link FailureKind#CLOSED}, and reads at the other end get end of file
 * ({@link FailureKind#CLOSED}) once their messages are drained. An end is also
 * <em>abandoned</em> when a holder ends without closing it and every remaining holder also
 * holds the other end (the parent that never closed its copy of the child's end): it then
 * counts as closed for the readers at the other end, until a process that does not hold the
 * other end attaches to it.
 *
 * <p><b>Room.</b> An end's inbox holds at most {@link #INBOX_LIMIT} bytes (each message
 * counted with {@link #MESSAGE_COST} bytes more, so that empty messages are bounded too), as an
 * OS pipe's buffer does: a send that does not fit waits, behind any send already waiting, until
 * reads make room, the end is closed (it fails {@link FailureKind#CLOSED}) or the call's timeout
 * passes ({@link FailureKind#TIMEOUT}, nothing sent). A message larger than the limit goes in
 * when the inbox is empty. Without this a sender that outruns its reader piled its messages up
 * in the owner's heap, bounded by nothing but the heap.
 */
public final class PipeServer implements ObjectServer {
    /**
     * Sends the rest of the payload to the other end, waiting for room in its inbox as the
     * call's timeout says. Fails CLOSED if that end is closed (also while waiting).
     */
    public static final int SEND = 1;
    /** Takes the oldest message at this end, waiting as the timeout says. Fails CLOSED at end of file. */
    public static final int RECV = 2;
    /** Answers 1 once a message or end of file is there; fails TIMEOUT when none comes in time. */
    public static final int POLL = 3;
    /** Registers the caller as a holder of this end. */
    public static final int ATTACH = 4;
    /** Removes the caller from the holders of this end. */
    public static final int CLOSE = 5;

    /** The most bytes an end's inbox holds before sends to it wait (see "Room" above). */
    static final long INBOX_LIMIT = 4L << 20;
    /** What a message costs in an inbox on top of its bytes. */
    static final int MESSAGE_COST = 64;

    private static final ByteString READY = ByteString.copyFrom(new byte[] {1});
    private static final ByteString NOT_READY = ByteString.copyFrom(new byte[] {0});

    private final End[] ends = {new End(this), new End(this)};
    private @org.jspecify.annotations.Nullable Runnable onBothClosed;

    /** One end's state; guarded by the server's monitor. */
    private static final class End {
        final Set<String> holders = new HashSet<>();
        final ArrayDeque<ByteString> inbox = new ArrayDeque<>();
        /** What the inbox costs: its messages' bytes and {@link #MESSAGE_COST} each. */
        long inboxBytes;
        final Waiters recvs;
        final Waiters polls;
        /** Sends to this end waiting for room, in arrival order. */
        final Waiters sends;
        boolean closed;
        boolean abandoned;

        End(Object lock) {
            recvs = new Waiters(lock);
            polls = new Waiters(lock);
            sends = new Waiters(lock);
        }

        /** {@return whether a send of this payload (the end's byte first) goes in now} */
        boolean fits(Request send) {
            return inboxBytes == 0 || inboxBytes + cost(send.payload().size() - 1) <= INBOX_LIMIT;
        }

        void add(Request send) {
            ByteString message = send.payload().substring(1);
            inbox.addLast(message);
            inboxBytes += cost(message.size());
            send.reply();
        }

        ByteString take() {
            ByteString message = inbox.removeFirst();
            inboxBytes -= cost(message.size());
            return message;
        }

        private static long cost(int size) {
            return (long) size + MESSAGE_COST;
        }
    }

    /**
     * A pipe, both ends held by its creator.
     *
     * @param creator the address of the process that creates the pipe: the first holder of both ends
     */
    public PipeServer(String creator) {
        ends[0].holders.add(creator);
        ends[1].holders.add(creator);
    }

    @Override
    public synchronized void handle(Request r) {
        if (r.payload().isEmpty() || (r.payload().byteAt(0) != 0 && r.payload().byteAt(0) != 1)) {
            r.fail(FailureKind.ERROR, "a pipe call names end 0 or 1");
            return;
        }
        int e = r.payload().byteAt(0);
        if (ends[e].closed && (r.op() == RECV || r.op() == POLL)) {
            // A copy of an end closed for good, by every holder: one whose process closed
            // another copy (a process holds an end once), or one received in a message after
            // its sender closed its own. Nothing can arrive there: a wait would last for ever.
            // (Its sends still reach the other end, as before.)
            r.fail(FailureKind.ILLEGAL_STATE, "handle is closed: every process that held this end closed it"
                    + " (close() on any copy of an end ends its process's hold; an end sent in a message"
                    + " must stay open in the sender until the receiver has it)");
            return;
        }
        switch (r.op()) {
            case SEND -> send(r, e);
            case RECV -> recv(r, e);
            case POLL -> poll(r, e);
            case ATTACH -> attach(r.from(), e, r);
            case CLOSE -> close(r.from(), e, r);
            default -> r.fail(FailureKind.ERROR, "a pipe has no op " + r.op());
        }
    }

    private void send(Request r, int e) {
        End to = ends[1 - e];
        if (to.closed) {
            r.fail(FailureKind.CLOSED, "the other end of the pipe is closed");
            return;
        }
        if (to.sends.isEmpty() && to.fits(r)) {
            to.add(r);
            serve(to);
        } else if (r.timeoutNanos() == 0) {
            r.fail(FailureKind.TIMEOUT, "no room in the pipe");
        } else {
            to.sends.add(r, "no room in the pipe in time");
        }
    }

    private void recv(Request r, int e) {
        End at = ends[e];
        if (at.recvs.isEmpty() && !at.inbox.isEmpty()) {
            r.reply(at.take());
            if (!at.sends.isEmpty()) {
                serve(at); // room for waiting sends
            }
        } else if (at.inbox.isEmpty() && writerGone(e)) {
            r.fail(FailureKind.CLOSED, "end of file: the other end of the pipe is closed");
        } else if (r.timeoutNanos() == 0) {
            r.fail(FailureKind.TIMEOUT, "no message");
        } else {
            at.recvs.add(r, "no message in time");
        }
    }

    private void poll(Request r, int e) {
        End at = ends[e];
        if (!at.inbox.isEmpty() || writerGone(e)) {
            r.reply(READY);
        } else if (r.timeoutNanos() == 0) {
            r.reply(NOT_READY);
        } else {
            at.polls.add(r, "no message in time");
        }
    }

    private void attach(String from, int e, Request r) {
        End at = ends[e];
        if (!at.closed) {
            at.holders.add(from);
            if (!ends[1 - e].holders.contains(from)) {
                at.abandoned = false;
            }
        }
        r.reply();
    }

    private void close(String from, int e, Request r) {
        End at = ends[e];
        at.holders.remove(from);
        r.reply();
        End other = ends[1 - e];
        if (other.abandoned && !at.holders.containsAll(other.holders)) {
            // a holder of the other end no longer holds this one: it is a writer again
            other.abandoned = false;
        }
        if (at.holders.isEmpty() && !at.closed) {
            closeEnd(e);
        }
    }

    /**
     * Sets what to do when both ends are closed.
     *
     * @param action run once both ends are closed, under this server's monitor: the owner then
     *               forgets the pipe
     */
    public synchronized void whenBothClosed(Runnable action) {
        this.onBothClosed = action;
    }

    /** Nobody holds end {@code e} any more. */
    private void closeEnd(int e) {
        End at = ends[e];
        at.closed = true;
        if (ends[1 - e].closed && onBothClosed != null) {
            onBothClosed.run();
        }
        at.inbox.clear();
        at.inboxBytes = 0;
        for (Request r = at.sends.poll(); r != null; r = at.sends.poll()) {
            r.fail(FailureKind.CLOSED, "the other end of the pipe is closed");
        }
        for (Request r = at.recvs.poll(); r != null; r = at.recvs.poll()) {
            r.fail(FailureKind.ILLEGAL_STATE, "handle is closed");
        }
        for (Request r = at.polls.poll(); r != null; r = at.polls.poll()) {
            r.fail(FailureKind.ILLEGAL_STATE, "handle is closed");
        }
        // Sends from this end still waiting for room at the other: their handle is closed.
        for (Request r = ends[1 - e].sends.poll(); r != null; r = ends[1 - e].sends.poll()) {
            r.fail(FailureKind.ILLEGAL_STATE, "handle is closed");
        }
        serve(ends[1 - e]);
    }

    /**
     * Answers what can be answered at {@code at}: readers take messages, waiting sends go in as
     * reads make room, then readers see end of file.
     */
    private void serve(End at) {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Request r; !at.inbox.isEmpty() && (r = at.recvs.poll()) != null; ) {
                r.reply(at.take());
                moved = true;
            }
            for (Request send; (send = at.sends.peek()) != null && at.fits(send); ) {
                at.sends.poll();
                at.add(send);
                moved = true;
            }
        }
        int e = at == ends[0] ? 0 : 1;
        boolean eof = at.inbox.isEmpty() && writerGone(e);
        if (eof) {
            for (Request r = at.recvs.poll(); r != null; r = at.recvs.poll()) {
                r.fail(FailureKind.CLOSED, "end of file: the other end of the pipe is closed");
            }
        }
        if (eof || !at.inbox.isEmpty()) {
            for (Request r = at.polls.poll(); r != null; r = at.polls.poll()) {
                r.reply(READY);
            }
        }
    }

    /** {@return true if nobody can write to end {@code e} any more} */
    private boolean writerGone(int e) {
        End other = ends[1 - e];
        return other.closed || other.abandoned;
    }

    @Override
    public synchronized void cancel(String from, long callId) {
        for (End end : ends) {
            end.recvs.cancel(from, callId);
            end.polls.cancel(from, callId);
            end.sends.cancel(from, callId);
            serve(end); // a send that waited behind the cancelled one may fit now
        }
    }

    @Override
    public synchronized void processGone(String address) {
        boolean[] lost = new boolean[2];
        for (int e = 0; e < 2; e++) {
            End end = ends[e];
            end.recvs.dropGone(address);
            end.polls.dropGone(address);
            end.sends.dropGone(address);
            lost[e] = end.holders.removeIf(h -> Addresses.isGone(address, h));
        }
        for (int e = 0; e < 2; e++) {
            End end = ends[e];
            if (!lost[e] || end.closed) {
                continue;
            }
            if (end.holders.isEmpty()) {
                closeEnd(e);
            } else if (ends[1 - e].holders.containsAll(end.holders)) {
                end.abandoned = true;
                serve(ends[1 - e]);
            }
        }
        for (End end : ends) {
            serve(end); // a send that waited behind a gone process's may fit now
        }
    }
}
