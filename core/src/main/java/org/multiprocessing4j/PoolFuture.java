package org.multiprocessing4j;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A task of a {@link ProcessExecutorService}: a {@link java.util.concurrent.Future} over one
 * chunk. {@link #run()} hands it to the pool (once); {@link #cancel(boolean) cancel(true)} of a
 * running task kills its worker, which the pool replaces.
 */
final class PoolFuture<T> implements RunnableFuture<T>, ChunkSink {
    private final PoolEngine engine;
    private final Callable<T> task;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private boolean dispatched;
    private @Nullable Chunk chunk;
    private boolean cancelInterrupting;

    /** What the user gave, named in messages. */
    private final Object label;

    /**
     * @param task  what a worker runs
     * @param label what the user submitted, named in messages
     */
    PoolFuture(PoolEngine engine, Callable<T> task, Object label) {
        this.engine = engine;
        this.task = task;
        this.label = label;
    }

    /** {@return the task, for {@code shutdownNow()}} */
    Callable<T> task() {
        return task;
    }

    /**
     * Hands the task to the pool, once.
     *
     * @throws IllegalStateException if the pool takes no new tasks
     */
    @Override
    public void run() {
        synchronized (this) {
            if (dispatched || result.isDone()) {
                return;
            }
            dispatched = true;
        }
        if (!(task instanceof Serializable)) {
            CodecException e = new CodecException("the task " + task.getClass().getName()
                    + " is not serializable: pass a PoolCallable (a lambda is one when the executor is typed"
                    + " ProcessExecutorService), or cast it to (Callable<T> & Serializable)");
            failed(e.getMessage(), e);
            return;
        }
        Chunk c = engine.submit(callTask(task), singleNull(), new Chunk.Label("submit", label, -1), this, false);
        boolean withdraw;
        boolean interrupt;
        synchronized (this) {
            chunk = c;
            withdraw = result.isCancelled();
            interrupt = cancelInterrupting;
        }
        if (withdraw && c != null) {
            engine.cancel(c, interrupt);
        }
    }

    private static List<@Nullable Object> singleNull() {
        List<@Nullable Object> one = new ArrayList<>(1);
        one.add(null);
        return one;
    }

    private static PoolFunction<@Nullable Object, Object> callTask(Callable<?> task) {
        return ignored -> task.call();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void succeeded(List<@Nullable Object> values) {
        result.complete((T) values.getFirst());
    }

    @Override
    public void failed(String message, Throwable cause) {
        if (cause instanceof PoolEngine.Terminated) {
            result.cancel(false); // the pool was terminated first
        } else if (cause instanceof CancellationException thrownByTheTask) {
            // the task's failure, not a cancel: get() throws ExecutionException, isCancelled() is false
            result.completeExceptionally(new java.util.concurrent.CompletionException(thrownByTheTask));
        } else {
            result.completeExceptionally(cause);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        synchronized (this) {
            // run() may be between submitting and recording the chunk: it passes this on
            cancelInterrupting = mayInterruptIfRunning;
        }
        // Only the cancel that cancels it acts, as FutureTask's: a second one returns false
        // (CompletableFuture.cancel would say true again, and the pool would act again).
        if (!result.completeExceptionally(new CancellationException("the task was cancelled"))) {
            return false;
        }
        Chunk c;
        synchronized (this) {
            c = chunk;
        }
        if (c != null) {
            engine.cancel(c, mayInterruptIfRunning);
        }
        return true;
    }

    @Override
    public boolean isCancelled() {
        return result.isCancelled();
    }

    @Override
    public boolean isDone() {
        return result.isDone();
    }

    @Override
    public @Nullable T get() throws InterruptedException, ExecutionException {
        return result.get();
    }

    @Override
    public @Nullable T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return result.get(timeout, unit);
    }

    /** {@return a future that completes with this one, for invokeAny} */
    CompletableFuture<T> completion() {
        return result;
    }
}
