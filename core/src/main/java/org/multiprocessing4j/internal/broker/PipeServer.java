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
 */
public final class PipeServer implements ObjectServer {
    /** Sends the rest of the payload to the other end. Fails CLOSED if that end is closed. */
    public static final int SEND = 1;
    /** Takes the oldest message at this end, waiting as the timeout says. Fails CLOSED at end of file. */
    public static final int RECV = 2;
    /** Answers 1 once a message or end of file is there; fails TIMEOUT when none comes in time. */
    public static final int POLL = 3;
    /** Registers the caller as a holder of this end. */
    public static final int ATTACH = 4;
    /** Removes the caller from the holders of this end. */
    public static final int CLOSE = 5;

    private static final ByteString READY = ByteString.copyFrom(new byte[] {1});
    private static final ByteString NOT_READY = ByteString.copyFrom(new byte[] {0});

    private final End[] ends = {new End(this), new End(this)};
    private @org.jspecify.annotations.Nullable Runnable onBothClosed;

    /** One end's state; guarded by the server's monitor. */
    private static final class End {
        final Set<String> holders = new HashSet<>();
        final ArrayDeque<ByteString> inbox = new ArrayDeque<>();
        final Waiters recvs;
        final Waiters polls;
        boolean closed;
        boolean abandoned;

        End(Object lock) {
            recvs = new Waiters(lock);
            polls = new Waiters(lock);
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
        to.inbox.addLast(r.payload().substring(1));
        r.reply();
        serve(to);
    }

    private void recv(Request r, int e) {
        End at = ends[e];
        if (at.recvs.isEmpty() && !at.inbox.isEmpty()) {
            r.reply(at.inbox.pollFirst());
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
        for (Request r = at.recvs.poll(); r != null; r = at.recvs.poll()) {
            r.fail(FailureKind.ILLEGAL_STATE, "handle is closed");
        }
        for (Request r = at.polls.poll(); r != null; r = at.polls.poll()) {
            r.fail(FailureKind.ILLEGAL_STATE, "handle is closed");
        }
        serve(ends[1 - e]);
    }

    /** Answers what can be answered at {@code at}: readers take messages, then see end of file. */
    private void serve(End at) {
        while (!at.inbox.isEmpty()) {
            Request r = at.recvs.poll();
            if (r == null) {
                break;
            }
            r.reply(at.inbox.pollFirst());
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
        }
    }

    @Override
    public synchronized void processGone(String address) {
        boolean[] lost = new boolean[2];
        for (int e = 0; e < 2; e++) {
            End end = ends[e];
            end.recvs.dropGone(address);
            end.polls.dropGone(address);
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
    }
}
