package org.multiprocessing4j;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pool's exact mirror of one worker's cache of functions and shared arguments (see
 * {@link org.multiprocessing4j.internal.pool.ChunkWire}): which of them, by number, the worker
 * has. A message to the worker carries the bytes of those it lacks, and tells it what to forget
 * when the cache would grow past {@link #MAX_BYTES} or {@link #MAX_ENTRIES}, least recently used
 * first (never what the message itself uses). Messages reach a worker in order, so the mirror
 * stays exact; a message the pool takes back before the worker read it is {@linkplain #rollBack
 * rolled back}. It is cleared when a new process takes the slot. Guarded by the pool's lock.
 */
final class WorkerCache {
    /** The most bytes of encoded functions and arguments a worker keeps. */
    static final long MAX_BYTES = 64L << 20;
    /** The most functions and arguments a worker keeps. */
    static final int MAX_ENTRIES = 256;
    /** The largest argument shared by number; a larger one travels in line every time. */
    static final int MAX_SHARED_BYTES = (int) (MAX_BYTES / 4);

    /** Number to encoded size, least recently used first. */
    private final LinkedHashMap<Long, Integer> known = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    /**
     * Numbers the worker may have that {@link #known} no longer counts: those a message taken
     * back ({@link #rollBack}) was to make it forget. The next message tells it to forget them.
     */
    private final Set<Long> owed = new LinkedHashSet<>();

    /**
     * What a message does to the cache: the numbers the worker forgets first, then those it is
     * sent, with their bytes.
     */
    record Plan(long[] forget, long[] learnRefs, byte[][] learnBytes) {
    }

    /**
     * {@return the plan for a message of these chunks; nothing changes until {@link #commit}}
     *
     * @param message the chunks, in order
     */
    Plan plan(List<Chunk> message) {
        Map<Long, byte[]> learn = new LinkedHashMap<>();
        Set<Long> used = new HashSet<>();
        for (Chunk c : message) {
            use(c.functionRef(), c.function(), learn, used);
            for (Chunk.Shared s : c.shared()) {
                use(s.ref(), s.bytes(), learn, used);
            }
        }
        long total = bytes;
        int entries = known.size() + learn.size();
        for (byte[] b : learn.values()) {
            total += b.length;
        }
        List<Long> forget = new ArrayList<>(owed);
        Iterator<Map.Entry<Long, Integer>> eldest = known.entrySet().iterator();
        while ((total > MAX_BYTES || entries > MAX_ENTRIES) && eldest.hasNext()) {
            Map.Entry<Long, Integer> e = eldest.next();
            if (used.contains(e.getKey())) {
                continue;
            }
            forget.add(e.getKey());
            total -= e.getValue();
            entries--;
        }
        long[] refs = new long[learn.size()];
        byte[][] values = new byte[learn.size()][];
        int i = 0;
        for (Map.Entry<Long, byte[]> e : learn.entrySet()) {
            refs[i] = e.getKey();
            values[i++] = e.getValue();
        }
        return new Plan(forget.stream().mapToLong(Long::longValue).toArray(), refs, values);
    }

    private void use(long ref, byte[] value, Map<Long, byte[]> learn, Set<Long> used) {
        used.add(ref);
        if (!known.containsKey(ref)) {
            learn.putIfAbsent(ref, value);
        }
    }

    /** Records that a message made by {@code plan} was put in the worker's inbox. */
    void commit(List<Chunk> message, Plan plan) {
        owed.clear(); // all in plan.forget()
        for (long ref : plan.forget()) {
            Integer size = known.remove(ref);
            if (size != null) {
                bytes -= size;
            }
        }
        for (Chunk c : message) {
            touch(c.functionRef(), c.function().length);
            for (Chunk.Shared s : c.shared()) {
                touch(s.ref(), s.bytes().length);
            }
        }
    }

    /**
     * Undoes the {@link #commit} of a message that was taken back before the worker read it, the
     * messages after it first: the worker never learned what it taught, and still has what it
     * was to forget (which the next message makes it forget). What the message used stays
     * recently used; that order only chooses what goes first.
     */
    void rollBack(Plan plan) {
        for (long ref : plan.learnRefs()) {
            Integer size = known.remove(ref);
            if (size != null) {
                bytes -= size;
            }
            owed.remove(ref);
        }
        for (long ref : plan.forget()) {
            owed.add(ref);
        }
    }

    /** Marks {@code ref} used (and known, if it was not). */
    private void touch(long ref, int size) {
        Integer before = known.put(ref, size);
        if (before == null) {
            bytes += size;
        }
    }

    /** {@return whether the worker has {@code ref}} */
    boolean has(long ref) {
        return known.containsKey(ref);
    }

    /** A new process took the slot: it has nothing. */
    void clear() {
        known.clear();
        owed.clear();
        bytes = 0;
    }

    /** {@return how many functions and arguments the worker has, for tests} */
    int size() {
        return known.size();
    }
}
