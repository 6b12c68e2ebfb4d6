package org.multiprocessing4j.internal.broker;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The owner's side of a {@code Queue}, {@code SimpleQueue} or {@code JoinableQueue}: encoded
 * items in arrival order, the gets and puts that wait for them, and (joinable queues) the
 * count of unfinished tasks. Items live here, in the owner, as soon as a put returns: a
 * producer that ends, even by a crash, loses nothing it put, and joining a producer never
 * waits for a consumer (Python's feeder-thread trap does not exist here).
 */
public final class QueueServer implements ObjectServer {
    /** Put: payload is the encoded item. FULL or TIMEOUT when there is no room. */
    public static final int PUT = 1;
    /** Get: answers the encoded item. EMPTY or TIMEOUT when there is none. */
    public static final int GET = 2;
    /** The number of items: answers 4 bytes. */
    public static final int SIZE = 3;
    /** Joinable queues: one task is done. */
    public static final int TASK_DONE = 4;
    /** Joinable queues: wait until every item put was marked done. */
    public static final int JOIN = 5;

    private final int maxsize;
    private final ArrayDeque<ByteString> items = new ArrayDeque<>();
    private final Waiters getters = new Waiters(this);
    private final Waiters putters = new Waiters(this);
    private final Waiters joiners = new Waiters(this);
    private long unfinished;

    /**
     * An empty queue.
     *
     * @param maxsize the most items it holds; zero or less for no limit
     */
    public QueueServer(int maxsize) {
        this.maxsize = maxsize;
    }

    @Override
    public synchronized void handle(Request r) {
        switch (r.op()) {
            case PUT -> put(r);
            case GET -> get(r);
            case SIZE -> r.reply(ByteString.copyFrom(ByteBuffer.allocate(Integer.BYTES).putInt(0, items.size())));
            case TASK_DONE -> taskDone(r);
            case JOIN -> {
                if (unfinished == 0) {
                    r.reply();
                } else {
                    joiners.add(r, "join() timed out with " + unfinished + " unfinished tasks");
                }
            }
            default -> r.fail(FailureKind.ERROR, "Queue has no op " + r.op());
        }
    }

    /**
     * One lock for a run of calls; a run of puts to an unbounded queue (a producer's posts)
     * goes in whole, then the waiting gets are served once for the lot.
     */
    @Override
    public synchronized void handleAll(Request first, java.util.List<ByteString> more) {
        if (maxsize > 0 || first.op() != PUT) {
            ObjectServer.super.handleAll(first, more);
            return;
        }
        items.addLast(first.payload());
        items.addAll(more);
        unfinished += 1 + more.size();
        first.reply();
        serveGetters();
    }

    /**
     * The owner's own non-waiting get, without a {@link Request}: the first item if one is
     * there and no earlier get is waiting for it.
     *
     * @return the item, or null if the caller must make a real call (nothing there, or others
     *         first in line)
     */
    public synchronized @org.jspecify.annotations.Nullable ByteString takeReady() {
        if (items.isEmpty() || !getters.isEmpty()) {
            return null;
        }
        ByteString item = items.pollFirst();
        servePutters();
        return item;
    }

    /**
     * The owner's own taking of every item there, at once: no get can take one in between, so
     * what it returns is the newest items, all of them. Nothing is taken while a get waits (there
     * is nothing then).
     *
     * @return the items, oldest first
     */
    public synchronized java.util.List<ByteString> takeAll() {
        java.util.List<ByteString> all = new java.util.ArrayList<>(items);
        items.clear();
        servePutters();
        return all;
    }

    private boolean full() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    private void put(Request r) {
        if (!full()) {
            accept(r);
        } else if (r.timeoutNanos() == 0) {
            r.fail(FailureKind.FULL, "the queue is full (maxsize " + maxsize + ")");
        } else {
            putters.add(r, "the queue stayed full (maxsize " + maxsize + ")");
        }
    }

    private void accept(Request r) {
        items.addLast(r.payload());
        unfinished++;
        r.reply();
        serveGetters();
    }

    private void get(Request r) {
        if (!items.isEmpty() && getters.isEmpty()) {
            r.reply(items.pollFirst());
            servePutters();
        } else if (r.timeoutNanos() == 0) {
            r.fail(FailureKind.EMPTY, "the queue is empty");
        } else {
            getters.add(r, "the queue stayed empty");
        }
    }

    private void serveGetters() {
        while (!items.isEmpty()) {
            Request g = getters.poll();
            if (g == null) {
                return;
            }
            g.reply(items.pollFirst());
        }
        servePutters();
    }

    private void servePutters() {
        while (!full()) {
            Request p = putters.poll();
            if (p == null) {
                return;
            }
            items.addLast(p.payload());
            unfinished++;
            p.reply();
        }
        if (!items.isEmpty() && !getters.isEmpty()) {
            serveGetters();
        }
    }

    private void taskDone(Request r) {
        if (unfinished == 0) {
            r.fail(FailureKind.ILLEGAL_STATE, "taskDone() called more times than there were items put");
            return;
        }
        unfinished--;
        r.reply();
        if (unfinished == 0) {
            for (Request j = joiners.poll(); j != null; j = joiners.poll()) {
                j.reply();
            }
        }
    }

    @Override
    public synchronized void cancel(String from, long callId) {
        getters.cancel(from, callId);
        putters.cancel(from, callId);
        joiners.cancel(from, callId);
    }

    @Override
    public synchronized void processGone(String address) {
        getters.dropGone(address);
        putters.dropGone(address);
        joiners.dropGone(address);
    }

    @Override
    public synchronized void release(String why) {
        items.clear();
        getters.failAll(why);
        putters.failAll(why);
        joiners.failAll(why);
    }
}
