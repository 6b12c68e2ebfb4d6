package org.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.pool.ChunkWire;
import org.multiprocessing4j.internal.pool.FailureReport;

/**
 * One place for a worker in a pool, filled by a succession of worker processes: its inbox, the
 * process there now, and the chunks that process holds, in the order it runs them. Guarded by
 * the pool's lock.
 *
 * <p>A worker holds up to {@link #PREFETCH} messages: the one it runs, and the next ones waiting
 * in its inbox, so that it never waits for the pool between two messages. A message holds one
 * chunk, or several small ones (a batch). The inbox is the pool's, so when the worker dies the
 * pool knows exactly which chunks it never took: those still in the inbox. Of the chunks it
 * took, it runs one at a time, in order, and posts each answer as soon as the chunk ran; the
 * pool reads everything the worker sent before it judges the death, so the first chunk taken
 * and unanswered is the one it died running, and the ones after it never ran.
 */
final class WorkerSlot {
    /** How many messages a worker holds at most. */
    static final int PREFETCH = 2;

    /** The chunks for this slot's worker, {@link org.multiprocessing4j.internal.pool.ChunkWire} tasks. Owned by the pool. */
    final Queue<Object> inbox;

    /** Which functions and shared arguments the current worker has, so that each is sent to it once. */
    final WorkerCache cache = new WorkerCache();
    /** The current worker's number (its name is {@code PoolWorker-<number>}), 0 before the first. */
    int number;
    @Nullable Process process;
    /** True while a worker process is being started for this slot. */
    boolean starting;
    /**
     * A chunk put in the worker's inbox, with the count its message shares: how many of the
     * message's chunks are still held. A class, not a record: {@link #held} finds and removes
     * entries by identity (a record's generated {@code equals}, compared component by component
     * on every removal, was a tenth of the pool's handler thread in a profile of
     * {@code applyAsync}).
     */
    private static final class Held {
        private final Chunk chunk;
        private final Sent message;
        /**
         * Cancelled while it waited in the inbox: the worker still runs it, so it keeps its place
         * (the clock of the chunk after it starts when it ends), but its answer is dropped and it
         * never goes back in line.
         */
        private boolean forgotten;

        Held(Chunk chunk, Sent message) {
            this.chunk = chunk;
            this.message = message;
        }

        Chunk chunk() {
            return chunk;
        }
    }

    /**
     * A message put in the inbox: what it did to the worker's {@link #cache}, and how many of its
     * chunks are still held.
     */
    private static final class Sent {
        private final WorkerCache.Plan plan;
        private int left;

        Sent(WorkerCache.Plan plan, int chunks) {
            this.plan = plan;
            this.left = chunks;
        }
    }

    /** The chunks put in the worker's inbox and not answered yet; the first is the one it runs. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** How many messages have a chunk still held. */
    private int messages;
    /** When the running chunk overruns its limit ({@link System#nanoTime()}), if it has one. */
    private long deadline;
    private boolean hasDeadline;
    private int chunksGiven;
    int chunksDone;
    /** Told to stop (maxTasksPerChild reached, or the pool is closing); its exit is no death. */
    boolean retiring;
    /**
     * Killed by the pool (a cancel or a timeout of the chunk it ran): the chunks it still holds
     * did not fail by themselves, so they go back in line.
     */
    boolean abandoned;
    /**
     * When a worker told to stop, holding nothing, is killed if it has not ended (nanoTime); 0
     * until the handler sees it so ({@code PoolHandler.killStuckRetireesLocked}).
     */
    long stopDue;
    boolean outOfMemory;

    /** @param maxFrameSize the pool's context's, which bounds what goes in the inbox */
    WorkerSlot(int maxFrameSize) {
        inbox = Queue.brokered(maxFrameSize);
    }
    @Nullable FailureReport initializerFailure;

    String name() {
        return "PoolWorker-" + number;
    }

    /** {@return its name, with the host its process runs on when it runs on another one} */
    String describe() {
        return worker().toString();
    }

    /**
     * {@return who the worker is, now: its name and host, made into words only when a failure
     * needs them (every answer takes one, under the pool's lock)}
     */
    Worker worker() {
        Process p = process;
        return new Worker(number, p == null ? null : p.host());
    }

    /**
     * A worker as a failure names it.
     *
     * @param number its number in the pool
     * @param host   the host its process runs on, or null for this one
     */
    record Worker(int number, @Nullable String host) {
        @Override
        public String toString() {
            return "PoolWorker-" + number + (host == null ? "" : " on " + host);
        }
    }

    void reset(int newNumber) {
        number = newNumber;
        process = null;
        cache.clear();
        clearHeld();
        hasDeadline = false;
        chunksGiven = 0;
        chunksDone = 0;
        retiring = false;
        abandoned = false;
        stopDue = 0;
        outOfMemory = false;
        initializerFailure = null;
    }

    /**
     * {@return whether the worker can take another chunk now}
     *
     * @param upTo             hold at most this many
     * @param maxTasksPerChild the pool's setting: a worker is given no more chunks than it runs
     */
    boolean canTake(int upTo, int maxTasksPerChild) {
        return process != null && !starting && !retiring && messages < upTo
                && (maxTasksPerChild <= 0 || chunksGiven < maxTasksPerChild);
    }

    /**
     * {@return how many more chunks this worker may be given, or {@link Integer#MAX_VALUE}}
     *
     * @param maxTasksPerChild the pool's setting
     */
    int allowance(int maxTasksPerChild) {
        return maxTasksPerChild <= 0 ? Integer.MAX_VALUE : Math.max(0, maxTasksPerChild - chunksGiven);
    }

    /**
     * Records a message of chunks, about to be put in the inbox; a chunk's clock starts when it
     * comes first.
     *
     * @param plan what the message does to the worker's cache, {@linkplain WorkerCache#commit
     *             committed} once it is in the inbox
     */
    void give(List<Chunk> message, WorkerCache.Plan plan, @Nullable Duration perTask) {
        boolean wasEmpty = held.isEmpty();
        Sent sent = new Sent(plan, message.size());
        for (Chunk chunk : message) {
            held.addLast(new Held(chunk, sent));
        }
        messages++;
        chunksGiven += message.size();
        if (wasEmpty) {
            startClock(perTask);
        }
    }

    /** Takes back a message that could not be put in the inbox. */
    void ungive(List<Chunk> message) {
        for (int i = 0; i < message.size(); i++) {
            held.removeLast();
        }
        messages--;
        chunksGiven -= message.size();
        if (held.isEmpty()) {
            hasDeadline = false;
        }
    }

    /** Takes {@code h} out of {@link #held}: its message counts as held while another of its chunks is. */
    private void remove(Held h) {
        held.removeFirstOccurrence(h);
        counted(h);
    }

    /** Counts {@code h}, just taken out of {@link #held}, as no longer held. */
    private void counted(Held h) {
        if (--h.message.left == 0) {
            messages--;
        }
    }

    private @Nullable Held find(Chunk chunk) {
        for (Held h : held) {
            if (h.chunk() == chunk) {
                return h;
            }
        }
        return null;
    }

    private void clearHeld() {
        held.clear();
        messages = 0;
    }

    private void startClock(@Nullable Duration perTask) {
        Chunk first = running();
        hasDeadline = perTask != null && first != null;
        if (hasDeadline) {
            deadline = System.nanoTime() + PoolEngine.limitNanos(perTask, first.tasks());
        }
    }

    /**
     * The worker answered a chunk.
     *
     * @return the chunk, or null if it is no longer held here (failed, timed out or cancelled)
     */
    @Nullable Chunk answered(long chunkId, @Nullable Duration perTask) {
        Held first = held.peekFirst();
        if (first != null && first.chunk().id() == chunkId) {
            // The usual case: a worker runs its chunks in order.
            held.pollFirst();
            counted(first);
            startClock(perTask);
            return first.forgotten ? null : first.chunk();
        }
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.chunk().id() == chunkId) {
                it.remove();
                counted(h);
                return h.forgotten ? null : h.chunk();
            }
        }
        return null;
    }

    /** {@return the chunk the worker runs now, or null} */
    @Nullable Chunk running() {
        Held first = held.peekFirst();
        return first == null ? null : first.chunk();
    }

    /** {@return whether the running chunk has overrun its limit at {@code now}} */
    boolean overran(long now) {
        return hasDeadline && !held.isEmpty() && now - deadline >= 0;
    }

    boolean holds(Chunk chunk) {
        return find(chunk) != null;
    }

    /** {@return whether it holds the chunk as forgotten: cancelled while it waited in the inbox} */
    boolean forgot(Chunk chunk) {
        Held h = find(chunk);
        return h != null && h.forgotten;
    }

    /**
     * Forgets a chunk: one waiting in the inbox will still run, in its place, and its answer is
     * ignored (it is never given to another worker); for the running one the worker is to be
     * killed, and the clock stops.
     */
    void forget(Chunk chunk) {
        Held h = find(chunk);
        if (h == null) {
            return;
        }
        if (h == held.peekFirst()) {
            hasDeadline = false;
            remove(h);
        } else {
            h.forgotten = true;
        }
    }

    boolean holdsNothing() {
        return held.isEmpty();
    }

    /**
     * Empties the inbox: for a worker that ended, or is being killed.
     *
     * @return the ids of the chunks that were in it, never taken by the worker
     */
    Set<Long> drainInbox() {
        Set<Long> untaken = new HashSet<>();
        while (true) {
            try {
                if (inbox.getNowait() instanceof byte[] task && ChunkWire.isTask(task)) {
                    for (long id : ChunkWire.taskChunkIds(task)) {
                        untaken.add(id);
                    }
                }
            } catch (Queue.Empty e) {
                return untaken;
            }
        }
    }

    /**
     * {@return whether the worker holds a message behind the one it runs, which may still wait in
     * its inbox: one to {@linkplain #takeBackWaiting take back} for an idle worker}
     */
    boolean mayHaveWaiting() {
        return messages >= PREFETCH && process != null && !starting && !retiring && !abandoned;
    }

    /**
     * Takes back the messages still waiting in the inbox, which the worker never read: the last
     * ones given, as an inbox is first in, first out. They are taken all at once ({@link
     * Queue#takeAllHere}): between two {@code getNowait}s the worker could take a later one,
     * which may rely on what an earlier one taught its cache. Their effect on the {@link #cache} is rolled
     * back, the last first, and they no longer count as given. Only for a worker that is not
     * retiring, whose inbox holds nothing but tasks.
     *
     * @return their chunks, in order, less those cancelled while they waited (whose callers
     * were told already); none if the inbox held what this slot does not hold last (a fault of
     * the pool's bookkeeping, reported on {@code System.err}), which it then holds again
     */
    List<Chunk> takeBackWaiting() {
        List<Long> ids = new ArrayList<>();
        List<Object> taken = inbox.takeAllHere();
        for (Object message : taken) {
            if (message instanceof byte[] task && ChunkWire.isTask(task)) {
                for (long id : ChunkWire.taskChunkIds(task)) {
                    ids.add(id);
                }
            }
        }
        // They must be the last ones held; if not, the pool's bookkeeping is wrong: the inbox
        // is put back as it was, and nothing is taken back.
        Iterator<Held> last = held.descendingIterator();
        for (int i = ids.size() - 1; i >= 0; i--) {
            if (!last.hasNext() || last.next().chunk().id() != ids.get(i)) {
                System.err.println(name() + ": its inbox held chunk " + ids.get(i)
                        + ", which is not the last it was given; nothing was taken back");
                taken.forEach(message -> PoolEngine.putQuietly(inbox, message));
                return List.of();
            }
        }
        for (Object message : taken) {
            if (!(message instanceof byte[] task && ChunkWire.isTask(task))) {
                PoolEngine.putQuietly(inbox, message); // a stop, the last message: it stays
            }
        }
        ArrayDeque<Held> back = new ArrayDeque<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            back.addFirst(held.pollLast());
        }
        chunksGiven -= back.size();
        Sent undone = null;
        for (Iterator<Held> it = back.descendingIterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.message != undone) {
                undone = h.message;
                cache.rollBack(undone.plan);
                messages--;
            }
        }
        if (held.isEmpty()) {
            hasDeadline = false;
        }
        List<Chunk> line = new ArrayList<>(back.size());
        for (Held h : back) {
            if (!h.forgotten) {
                line.add(h.chunk());
            }
        }
        return line;
    }

    /**
     * {@return the first chunk held that the worker took, forgotten or not: for a worker that
     * died, the one it died running; null if it took none}
     *
     * @param untaken the ids of the chunks still in its inbox ({@link #drainInbox})
     */
    @Nullable Chunk firstTaken(Set<Long> untaken) {
        for (Held h : held) {
            if (!untaken.contains(h.chunk().id())) {
                return h.chunk();
            }
        }
        return null;
    }

    /**
     * The worker gave back chunks of the message it runs, which it will not run ({@link
     * org.multiprocessing4j.internal.pool.PoolMessages.GaveBack}): they are no longer held or
     * counted as given.
     *
     * @return those to run elsewhere, in order: not the ones cancelled while they waited
     */
    List<Chunk> gaveBack(long[] chunkIds) {
        List<Chunk> line = new ArrayList<>(chunkIds.length);
        for (long id : chunkIds) {
            for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
                Held h = it.next();
                if (h.chunk().id() == id) {
                    it.remove();
                    counted(h);
                    chunksGiven--;
                    if (!h.forgotten) {
                        line.add(h.chunk());
                    }
                    break;
                }
            }
        }
        return line;
    }

    /** {@return every chunk held and not forgotten, in order, and holds none any more} */
    List<Chunk> takeAll() {
        List<Chunk> all = new ArrayList<>(held.size());
        for (Held h : held) {
            if (!h.forgotten) {
                all.add(h.chunk());
            }
        }
        clearHeld();
        hasDeadline = false;
        return all;
    }
}
