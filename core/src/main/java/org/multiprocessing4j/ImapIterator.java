package org.multiprocessing4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * The iterator of {@link Pool#imap} and {@link Pool#imapUnordered}: it pulls its source lazily,
 * in the consumer's thread, keeping at most {@code lookahead} chunks pulled but not yet consumed;
 * a failed chunk throws once, at its place (ordered) or when it arrives (unordered), and the
 * iteration can go on after it.
 *
 * <p>Lock order: {@link #pullLock} (pulling the source), then {@code this} (the outcomes); the
 * pool's lock is taken with neither held.
 */
final class ImapIterator<R> implements Iterator<R> {
    /** Guards the fields below; private, so that a user synchronizing on the iterator cannot stall the pool. */
    private final Object state = new Object();
    /** One chunk's outcome. */
    private record Outcome(@Nullable List<@Nullable Object> values, @Nullable String message,
                           @Nullable Throwable cause) {
    }

    private final PoolEngine engine;
    private final Iterator<?> source;
    private final PoolFunction<?, ?> function;
    private final int chunksize;
    private final int lookahead;
    private final boolean ordered;
    private final Object pullLock = new Object();

    // guarded by this
    private int pulled;
    private int consumed;
    private boolean exhausted;
    private final Map<Integer, Outcome> arrived = new HashMap<>();
    private final ArrayDeque<Outcome> arrivedInOrder = new ArrayDeque<>();
    private final LinkedList<@Nullable Object> current = new LinkedList<>();
    private @Nullable Outcome failure;

    ImapIterator(PoolEngine engine, PoolFunction<?, ?> function, Iterator<?> source, int chunksize,
                 int lookahead, boolean ordered) {
        this.engine = engine;
        this.function = function;
        this.source = source;
        this.chunksize = chunksize;
        this.lookahead = lookahead;
        this.ordered = ordered;
        engine.register(this);
    }

    /** Pulls and submits chunks while fewer than {@link #lookahead} are pulled and unconsumed. */
    private void topUp(boolean all) {
        while (true) {
            List<@Nullable Object> batch = new ArrayList<>(chunksize);
            int index;
            synchronized (pullLock) {
                synchronized (state) {
                    if (exhausted || (!all && pulled - consumed >= lookahead)) {
                        return;
                    }
                }
                RuntimeException sourceFailed = null;
                try {
                    while (batch.size() < chunksize && source.hasNext()) {
                        batch.add(source.next());
                    }
                } catch (VirtualMachineError fatal) {
                    throw fatal;
                } catch (RuntimeException e) {
                    sourceFailed = e;
                } catch (Error e) {
                    sourceFailed = new IllegalStateException("the imap source failed: " + e, e);
                }
                synchronized (state) {
                    if (batch.isEmpty() || sourceFailed != null) {
                        exhausted = true;
                    }
                    if (batch.isEmpty() && sourceFailed == null) {
                        state.notifyAll();
                        engine.unregister(this);
                        return;
                    }
                    index = pulled++;
                }
                if (sourceFailed != null) {
                    arrive(index, new Outcome(null, "the iterator given to imap threw: " + sourceFailed, sourceFailed));
                    engine.unregister(this);
                    return;
                }
            }
            engine.submit(function, batch, new ChunkSink() {
                @Override
                public void succeeded(List<@Nullable Object> values) {
                    arrive(index, new Outcome(values, null, null));
                }

                @Override
                public void failed(String message, Throwable cause) {
                    arrive(index, new Outcome(null, message, cause));
                }
            }, true);
            if (!engine.acceptsWork()) {
                synchronized (state) {
                    exhausted = true;
                    state.notifyAll();
                }
                engine.unregister(this);
                return;
            }
        }
    }

    private void arrive(int index, Outcome outcome) {
        synchronized (state) {
            if (ordered) {
                arrived.put(index, outcome);
            } else {
                arrivedInOrder.add(outcome);
            }
            state.notifyAll();
        }
    }

    /** Pulls the rest of the source at once: {@link Pool#close()} runs what was asked for. */
    void drainSource() {
        topUp(true);
    }

    /**
     * @throws MultiprocessingException if interrupted while waiting (the interrupt flag is set)
     */
    @Override
    public boolean hasNext() {
        while (true) {
            topUp(false);
            synchronized (state) {
                if (!current.isEmpty() || failure != null) {
                    return true;
                }
                Outcome next = ordered ? arrived.remove(consumed) : arrivedInOrder.poll();
                if (next != null) {
                    consumed++;
                    if (next.values() == null) {
                        failure = next;
                    } else {
                        current.addAll(next.values());
                    }
                    continue;
                }
                if (exhausted && consumed == pulled) {
                    return false;
                }
                if (pulled - consumed < lookahead && !exhausted) {
                    continue; // room to pull more
                }
                try {
                    state.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MultiprocessingException("interrupted while waiting for the next imap result", e);
                }
            }
        }
    }

    /**
     * @throws PoolTaskException if the next chunk failed; iteration may go on after it
     */
    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        synchronized (state) {
            Outcome f = failure;
            if (f != null) {
                failure = null;
                Throwable cause = f.cause() == null ? new IllegalStateException("unknown failure") : f.cause();
                throw new PoolTaskException(f.message() == null ? "the task failed" : f.message(), cause);
            }
            return (R) current.poll();
        }
    }
}
