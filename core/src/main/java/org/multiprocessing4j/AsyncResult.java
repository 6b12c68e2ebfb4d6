package org.multiprocessing4j;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;

/**
 * The result of a task submitted to a {@link Pool}: Python's {@code AsyncResult}. It always
 * completes: with the task's value, or with a failure when the task threw, when its worker died,
 * when the pool broke or was terminated. No {@code get()} waits on a dead worker.
 *
 * <p>{@link #get()} throws a {@link PoolTaskException} whose cause says why the task failed.
 * {@link #get(Duration)} throws {@link TimeoutException}, as {@link java.util.concurrent.Future}
 * does, when the result is not there in time; the task goes on. {@link #toCompletableFuture()}
 * is a view for composition; its failure is the cause itself.
 *
 * <p>Methods may be called from any thread.
 *
 * @param <T> the result type
 * @since 0.1
 */
public final class AsyncResult<T> {
    /** Guards the failure fields; private, so that a user synchronizing on the result cannot stall the pool. */
    private final Object state = new Object();
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final Executor callbacks;
    private @Nullable String failureMessage;
    private @Nullable Throwable failureCause;

    AsyncResult(Executor callbacks) {
        this.callbacks = callbacks;
    }

    void complete(@Nullable T value) {
        synchronized (state) {
            future.complete(value);
        }
    }

    void fail(String message, Throwable cause) {
        synchronized (state) {
            if (!future.isDone()) {
                failureMessage = message;
                failureCause = cause;
                future.completeExceptionally(cause);
            }
        }
    }

    /**
     * Waits for the result.
     *
     * @return the task's value
     * @throws PoolTaskException    if the task failed; the cause says why
     * @throws InterruptedException if interrupted while waiting
     */
    public @Nullable T get() throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException | CancellationException e) {
            throw failure();
        }
    }

    /**
     * Waits at most {@code timeout} for the result.
     *
     * @param timeout how long to wait
     * @return the task's value
     * @throws TimeoutException     if the result is not there in time (the task goes on)
     * @throws PoolTaskException    if the task failed; the cause says why
     * @throws InterruptedException if interrupted while waiting
     */
    public @Nullable T get(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return future.get(Math.max(0, Primitives.saturatedNanos(timeout)), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException e) {
            throw failure();
        } catch (TimeoutException e) {
            throw new TimeoutException("no result within " + timeout);
        }
    }

    /**
     * Waits until the result is ready: Python's {@code wait()}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void waitFor() throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException | CancellationException failed) {
            // ready
        }
    }

    /**
     * Waits at most {@code timeout} until the result is ready: Python's {@code wait(timeout)}.
     *
     * @param timeout how long to wait
     * @return whether the result is ready
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            future.get(Math.max(0, Primitives.saturatedNanos(timeout)), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException failed) {
            // ready
        } catch (TimeoutException e) {
            return false;
        }
        return true;
    }

    /** {@return whether the task has completed, one way or another} */
    public boolean ready() {
        return future.isDone();
    }

    /**
     * {@return whether the task completed with a value}
     *
     * @throws IllegalStateException if it has not completed yet (Python's {@code ValueError})
     */
    public boolean successful() {
        if (!future.isDone()) {
            throw new IllegalStateException("the result is not ready; wait for it first");
        }
        return !future.isCompletedExceptionally();
    }

    /**
     * A view of this result for composition. It completes on the pool's callback thread, never on
     * a thread of the pool's own machinery, so dependent stages cannot stall the pool. Completing
     * or cancelling the view does not affect the task.
     *
     * @return a new future that completes with the value, or exceptionally with the cause a
     * {@link PoolTaskException} would carry
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> view = new CompletableFuture<>();
        future.whenCompleteAsync((value, failure) -> {
            if (failure == null) {
                view.complete(value);
            } else {
                view.completeExceptionally(failure);
            }
        }, callbacks);
        return view;
    }

    /** Runs {@code callback} or {@code errorCallback} on the pool's callback thread. */
    void onCompletion(@Nullable Consumer<? super T> callback,
                      @Nullable Consumer<? super PoolTaskException> errorCallback) {
        if (callback == null && errorCallback == null) {
            return;
        }
        future.whenCompleteAsync((value, failure) -> {
            try {
                if (failure == null) {
                    if (callback != null) {
                        callback.accept(value);
                    }
                } else if (errorCallback != null) {
                    errorCallback.accept(failure());
                }
            } catch (RuntimeException | Error e) {
                System.err.println("a pool callback threw:");
                e.printStackTrace();
            }
        }, callbacks);
    }

    private PoolTaskException failure() {
        String message;
        Throwable cause;
        synchronized (state) {
            message = failureMessage;
            cause = failureCause;
        }
        if (cause == null) {
            throw new IllegalStateException("no failure recorded");
        }
        return new PoolTaskException(message != null ? message : "the task failed: " + cause, cause);
    }

    @Override
    public String toString() {
        if (!future.isDone()) {
            return "AsyncResult[pending]";
        }
        return future.isCompletedExceptionally() ? "AsyncResult[failed]" : "AsyncResult[done]";
    }
}
