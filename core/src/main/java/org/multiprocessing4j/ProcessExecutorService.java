package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;

/**
 * A {@link Pool} seen as an {@link java.util.concurrent.ExecutorService}: tasks run in the pool's
 * worker processes, and a dead worker fails its task's {@code Future} (an
 * {@link java.util.concurrent.ExecutionException} whose cause is a {@link WorkerDiedException})
 * instead of leaving it pending. Obtained from {@link Pool#asExecutorService()}; it shares the
 * pool, so shutting it down closes the pool.
 *
 * <p>Tasks travel to the workers, so they must be serializable: {@link PoolCallable} is; a lambda
 * passed to {@link #submit(PoolCallable)} is one when the executor is typed
 * {@code ProcessExecutorService}. Through the plain {@code ExecutorService} type a lambda is not
 * serializable unless cast ({@code (Callable<T> & Serializable)}); such a task fails its future
 * with a {@link CodecException} that says so.
 *
 * <p>{@link Future#cancel(boolean) cancel(true)} of a running task kills its worker, which the
 * pool replaces (no death is counted); {@code cancel(false)} lets it run and drops its result.
 * A task already handed to a worker (each holds at most two messages of tasks, the one it runs
 * and the next) but not started still runs there when cancelled, either way, unlike
 * {@code ThreadPoolExecutor}'s: its result is dropped, and it never runs again elsewhere. Only
 * the first {@code cancel} of a future acts; later ones return false, as {@code FutureTask}'s.
 * {@link #shutdownNow()} terminates the pool: unlike {@code ThreadPoolExecutor}, the futures of
 * tasks it returns are cancelled, never left pending. {@code invokeAny} cancels the losers with
 * {@code cancel(true)}, as {@code ThreadPoolExecutor} does.
 *
 * @since 0.1
 */
public final class ProcessExecutorService extends AbstractExecutorService {
    private final PoolEngine engine;

    ProcessExecutorService(PoolEngine engine) {
        this.engine = engine;
    }

    /**
     * Submits a serializable task.
     *
     * @param task the task
     * @param <T>  its result type
     * @return its future
     * @throws RejectedExecutionException if the pool is shut down
     */
    public <T> Future<T> submit(PoolCallable<T> task) {
        return super.submit(task);
    }

    /**
     * Submits a serializable task that returns nothing; a lambda that returns a value goes to
     * {@link #submit(PoolCallable)} instead.
     *
     * @param task the task
     * @return its future, whose value is null
     * @throws RejectedExecutionException if the pool is shut down
     */
    public Future<?> submit(PoolRunnable task) {
        return super.submit(task);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        Objects.requireNonNull(callable, "task");
        return new PoolFuture<>(engine, callable, callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, @Nullable T value) {
        Objects.requireNonNull(runnable, "task");
        Callable<T> call;
        if (runnable instanceof PoolRunnable task) {
            call = callable(task, value);
        } else if (runnable instanceof Serializable) {
            call = callable(runnable::run, value);
        } else {
            call = () -> {
                runnable.run();
                return value;
            };
        }
        return new PoolFuture<>(engine, call, runnable);
    }

    private static <T> PoolCallable<T> callable(PoolRunnable runnable, @Nullable T value) {
        return () -> {
            runnable.runTask();
            return value;
        };
    }

    /**
     * Runs {@code command} in a worker; a failure is printed on this process's standard error.
     *
     * @param command a serializable runnable
     * @throws RejectedExecutionException if the pool is shut down
     */
    @Override
    public void execute(Runnable command) {
        executeTask(command);
    }

    /**
     * Runs a serializable {@code command} in a worker; a failure is printed on this process's
     * standard error. Makes a lambda serializable when the executor is typed
     * {@code ProcessExecutorService}.
     *
     * @param command the task
     * @throws RejectedExecutionException if the pool is shut down
     */
    public void execute(PoolRunnable command) {
        executeTask(command);
    }

    private void executeTask(Runnable command) {
        PoolFuture<?> future = command instanceof PoolFuture<?> f ? f : (PoolFuture<?>) newTaskFor(command, null);
        try {
            future.run();
        } catch (IllegalStateException closed) {
            throw new RejectedExecutionException(closed.getMessage(), closed);
        }
        if (future != command) {
            future.completion().whenComplete((v, failure) -> {
                if (failure != null && !future.isCancelled()) {
                    System.err.println("a task given to execute() failed:");
                    failure.printStackTrace();
                }
            });
        }
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> f : futures) {
                await(f);
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return futures;
    }

    /**
     * Submits every task; if one cannot be (null, or the pool shut down meanwhile), those
     * already submitted are cancelled before the failure is thrown, as
     * {@code AbstractExecutorService} does.
     */
    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(submit(task));
            }
        } catch (RuntimeException | Error e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return futures;
    }

    private static void await(Future<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException | java.util.concurrent.CancellationException done) {
            // done
        }
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> f : futures) {
                try {
                    f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | java.util.concurrent.CancellationException done) {
                    // done
                } catch (TimeoutException late) {
                    break;
                }
            }
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
        return futures;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, null);
        } catch (TimeoutException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return invokeAny(tasks, Duration.ofNanos(unit.toNanos(timeout)));
    }

    private <T> T invokeAny(Collection<? extends Callable<T>> tasks, @Nullable Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no tasks");
        }
        List<PoolFuture<T>> futures = new ArrayList<>();
        CompletableFuture<T> first = new CompletableFuture<>();
        AtomicInteger failures = new AtomicInteger();
        int count = tasks.size();
        try {
            for (Callable<T> task : tasks) {
                PoolFuture<T> f = (PoolFuture<T>) newTaskFor(task);
                futures.add(f);
                f.completion().whenComplete((v, failure) -> {
                    if (failure == null) {
                        first.complete(v);
                    } else if (failures.incrementAndGet() == count) {
                        // get() then throws ExecutionException, also when every task ended
                        // cancelled (a CancellationException would be thrown as it is)
                        first.completeExceptionally(new java.util.concurrent.CompletionException(
                                failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                                        ? c.getCause() : failure));
                    }
                });
                execute(f);
            }
            return timeout == null ? first.get() : first.get(Math.max(0, Primitives.saturatedNanos(timeout)), TimeUnit.NANOSECONDS);
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }

    /** Stops taking tasks; those submitted still run. Does not wait: {@link #awaitTermination} does. */
    @Override
    public void shutdown() {
        engine.shutdown();
    }

    /**
     * Terminates the pool: running tasks are abandoned with their workers killed, and every
     * unfinished future is cancelled.
     *
     * @return the tasks that never started
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> neverStarted = new ArrayList<>();
        for (ChunkSink sink : engine.terminate()) {
            if (sink instanceof PoolFuture<?> f) {
                Callable<?> task = f.task();
                neverStarted.add(() -> {
                    try {
                        task.call();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
        return neverStarted;
    }

    @Override
    public boolean isShutdown() {
        return engine.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return engine.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return engine.awaitTermination(Duration.ofNanos(unit.toNanos(timeout)));
    }

    /** Closes the pool: {@link Pool#close()}. */
    @Override
    public void close() {
        engine.close();
    }
}
