package org.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;

/**
 * The {@link ImapIterator} of a pool: it pulls its source lazily, in the consumer's thread,
 * keeping at most {@code lookahead} chunks pulled but not yet consumed; a failed chunk throws
 * once, at its place (ordered) or when it arrives (unordered), and the iteration can go on after
 * it. When the pool closes or terminates first, the iteration is {@linkplain #cut cut}: it pulls
 * nothing more, yields what its submitted chunks give, then throws.
 *
 * <p>Lock order: {@link #pullLock} (pulling the source), then {@link #state} (the outcomes); the
 * pool's lock is taken with neither held.
 */
final class LazyImap<R> implements ImapIterator<R> {
    /** One chunk's outcome. */
    private record Outcome(@Nullable List<@Nullable Object> values, @Nullable String message,
                           @Nullable Throwable cause) {
    }

    private final PoolEngine engine;
    private final java.util.Iterator<?> source;
    private final PoolFunction<?, ?> function;
    private final String call;
    private final String label;
    private final int chunksize;
    private final int lookahead;
    private final boolean ordered;
    private final Object pullLock = new Object();
    /** Guards the fields below; private, so that a user synchronizing on the iterator cannot stall the pool. */
    private final Object state = new Object();

    private int pulled;
    private int consumed;
    private int itemsPulled;
    private boolean exhausted;
    private @Nullable String cutReason;
    private final Map<Integer, Outcome> arrived = new HashMap<>();
    private final ArrayDeque<Outcome> arrivedInOrder = new ArrayDeque<>();
    private final LinkedList<@Nullable Object> current = new LinkedList<>();
    private @Nullable Outcome failure;

    LazyImap(PoolEngine engine, PoolFunction<?, ?> function, java.util.Iterator<?> source, int chunksize,
             int lookahead, boolean ordered) {
        this.engine = engine;
        this.function = function;
        this.source = source;
        this.call = ordered ? "imap" : "imapUnordered";
        this.label = call + "(" + TaskLabels.of(function) + ")";
        this.chunksize = chunksize;
        this.lookahead = lookahead;
        this.ordered = ordered;
        engine.register(this);
        topUp(); // the work starts now, as Python's does, not at the first next()
    }

    /**
     * Stops pulling: the pool was closed or terminated. Chunks already submitted still give their
     * outcomes; asking beyond them throws an {@link IllegalStateException} with {@code why}.
     */
    void cut(String why) {
        synchronized (state) {
            if (!exhausted && cutReason == null) {
                cutReason = why;
            }
            state.notifyAll();
        }
    }

    /** Pulls and submits chunks while fewer than {@link #lookahead} are pulled and unconsumed. */
    private void topUp() {
        while (true) {
            List<@Nullable Object> batch = new ArrayList<>(chunksize);
            int index;
            int firstItem;
            boolean last = false;
            synchronized (pullLock) {
                synchronized (state) {
                    if (exhausted || cutReason != null || pulled - consumed >= lookahead) {
                        return;
                    }
                }
                RuntimeException sourceFailed = null;
                try {
                    while (batch.size() < chunksize && source.hasNext()) {
                        batch.add(source.next());
                    }
                    // known now, not a pull later: a cut imap whose source is used up is complete
                    last = !source.hasNext();
                } catch (VirtualMachineError fatal) {
                    throw fatal;
                } catch (RuntimeException e) {
                    sourceFailed = e;
                } catch (Error e) {
                    sourceFailed = new IllegalStateException("the imap source failed: " + e, e);
                }
                synchronized (state) {
                    if (batch.isEmpty() || sourceFailed != null || last) {
                        exhausted = true;
                    }
                    if (batch.isEmpty() && sourceFailed == null) {
                        state.notifyAll();
                        engine.unregister(this);
                        return;
                    }
                    index = pulled++;
                    firstItem = itemsPulled;
                    itemsPulled += batch.size();
                }
                if (sourceFailed != null) {
                    arrive(index, new Outcome(null, "the iterator given to imap threw: " + sourceFailed, sourceFailed));
                    engine.unregister(this);
                    return;
                }
            }
            engine.submit(function, batch, new Chunk.Label(call, function, firstItem), new ChunkSink() {
                @Override
                public void succeeded(List<@Nullable Object> values) {
                    arrive(index, new Outcome(values, null, null));
                }

                @Override
                public void failed(String message, Throwable cause) {
                    arrive(index, new Outcome(null, message, cause));
                }
            }, true);
            if (last) {
                engine.unregister(this);
                return;
            }
            if (!engine.acceptsWork()) {
                cut(engine.name() + " is broken or terminated: the rest of the " + label + " source was not pulled");
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

    /**
     * Waits until a value or a failure is ready to be returned, or the iteration ended.
     *
     * @param deadline a {@link System#nanoTime()} to give up at, or null to wait as long as it takes
     * @return false at the end of the results
     */
    private boolean advance(@Nullable Long deadline) throws InterruptedException, TimeoutException {
        while (true) {
            topUp();
            synchronized (state) {
                if (!current.isEmpty() || failure != null) {
                    return true;
                }
                Outcome next = ordered ? arrived.remove(consumed) : arrivedInOrder.poll();
                if (next != null) {
                    consumed++;
                    List<@Nullable Object> values = next.values();
                    if (values == null) {
                        failure = next;
                    } else {
                        current.addAll(values);
                    }
                    continue;
                }
                if (consumed == pulled) {
                    if (exhausted) {
                        return false;
                    }
                    String cut = cutReason;
                    if (cut != null) {
                        throw new IllegalStateException(cut);
                    }
                    continue; // room to pull more
                }
                if (deadline == null) {
                    state.wait();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException("no " + label + " result within the time given");
                    }
                    state.wait(Math.max(1, left / 1_000_000), 0);
                }
            }
        }
    }

    /**
     * @throws MultiprocessingException if interrupted while waiting (the interrupt flag is set)
     * @throws IllegalStateException    if the pool ended before the source was pulled
     */
    @Override
    public boolean hasNext() {
        try {
            return advance(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MultiprocessingException("interrupted while waiting for the next " + label + " result", e);
        } catch (TimeoutException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
    }

    /**
     * @throws PoolTaskException if the next chunk failed; iteration may go on after it
     */
    @Override
    public @Nullable R next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more " + label + " results");
        }
        return take();
    }

    @Override
    public @Nullable R next(Duration timeout) throws TimeoutException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long nanos = Math.max(0, Primitives.saturatedNanos(timeout));
        if (!advance(System.nanoTime() + nanos)) {
            throw new NoSuchElementException("no more " + label + " results");
        }
        return take();
    }

    @SuppressWarnings("unchecked")
    private @Nullable R take() {
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
