package org.multiprocessing4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pool's exact mirror of one worker's function cache (see
 * {@link org.multiprocessing4j.internal.pool.ChunkWire}): which functions, by number, the worker
 * has. A message to the worker carries a function's bytes only if the worker lacks it, and tells
 * it what to forget when the cache would grow past {@link #MAX_BYTES} or {@link #MAX_ENTRIES},
 * least recently used first. Messages reach a worker in order, so the mirror stays exact; it is
 * cleared when a new process takes the slot. Guarded by the pool's lock.
 */
final class KnownFunctions {
    /** The most bytes of encoded functions a worker keeps. */
    static final long MAX_BYTES = 32L << 20;
    /** The most functions a worker keeps. */
    static final int MAX_ENTRIES = 256;

    /** Function number to its encoded size, least recently used first. */
    private final LinkedHashMap<Long, Integer> known = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /**
     * What a message does to the cache: which functions it sends (by chunk, null where the worker
     * has it or an earlier chunk of the message carries it) and which the worker forgets first.
     */
    record Plan(byte[][] functions, long[] forget) {
    }

    /**
     * {@return the plan for a message of these chunks; nothing changes until {@link #commit}}
     *
     * @param message the chunks, in order
     */
    Plan plan(List<Chunk> message) {
        byte[][] send = new byte[message.size()][];
        Map<Long, Integer> added = new LinkedHashMap<>();
        for (int i = 0; i < send.length; i++) {
            Chunk c = message.get(i);
            if (!known.containsKey(c.functionRef()) && !added.containsKey(c.functionRef())) {
                send[i] = c.function();
                added.put(c.functionRef(), c.function().length);
            }
        }
        long total = bytes;
        int entries = known.size();
        for (int size : added.values()) {
            total += size;
            entries++;
        }
        List<Long> forget = new ArrayList<>();
        java.util.Set<Long> used = new java.util.HashSet<>();
        for (Chunk c : message) {
            used.add(c.functionRef());
        }
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
        return new Plan(send, forget.stream().mapToLong(Long::longValue).toArray());
    }

    /** Records that a message made by {@code plan} was put in the worker's inbox. */
    void commit(List<Chunk> message, Plan plan) {
        for (long ref : plan.forget()) {
            Integer size = known.remove(ref);
            if (size != null) {
                bytes -= size;
            }
        }
        for (Chunk c : message) {
            Integer before = known.put(c.functionRef(), c.function().length); // also marks it used
            if (before == null) {
                bytes += c.function().length;
            }
        }
    }

    /** A new process took the slot: it has nothing. */
    void clear() {
        known.clear();
        bytes = 0;
    }

    /** {@return how many functions the worker has, for tests} */
    int size() {
        return known.size();
    }
}
