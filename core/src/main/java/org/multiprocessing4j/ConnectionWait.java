package org.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.Primitives;

/**
 * {@link Connection#wait}: one virtual thread per object blocks in {@link Connection#poll(Duration)}
 * (a wait the pipe's owner keeps) or {@link Process#join(Duration)}; the first to see its object
 * ready wakes the caller, which stops the others (their kept polls are cancelled) and then
 * collects every object that is ready at that moment.
 */
final class ConnectionWait {
    private ConnectionWait() {
    }

    static List<Object> waitFor(Collection<?> objects, @Nullable Duration timeout) throws InterruptedException {
        List<Object> watched = List.copyOf(objects);
        for (Object o : watched) {
            if (!(o instanceof Connection) && !(o instanceof Process)) {
                throw new IllegalArgumentException("wait() takes connections and processes, not "
                        + o.getClass().getName());
            }
            if (o instanceof Process p) {
                p.join(Duration.ZERO); // a process not started, or closed, is refused even without a wait
            }
        }
        List<Object> ready = readyNow(watched);
        if (!ready.isEmpty() || watched.isEmpty() || (timeout != null && !timeout.isPositive())) {
            return ready;
        }
        CountDownLatch any = new CountDownLatch(1);
        AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (Object o : watched) {
            threads.add(Thread.ofVirtual().name("multiprocessing4j-wait").start(() -> {
                try {
                    if (block(o, timeout)) {
                        any.countDown();
                    }
                } catch (InterruptedException stopped) {
                    // another object was ready first, or the caller gave up
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    any.countDown();
                }
            }));
        }
        try {
            if (timeout == null) {
                any.await();
            } else {
                any.await(Primitives.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
            }
        } finally {
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) {
                joinUninterruptibly(t);
            }
        }
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
        return readyNow(watched);
    }

    private static boolean block(Object o, @Nullable Duration timeout) throws InterruptedException {
        if (o instanceof Connection c) {
            return c.poll(timeout);
        }
        Process p = (Process) o;
        if (timeout == null) {
            p.join();
            return true;
        }
        return p.join(timeout);
    }

    private static List<Object> readyNow(List<Object> watched) {
        List<Object> ready = new ArrayList<>();
        for (Object o : watched) {
            boolean isReady = o instanceof Connection c ? c.poll() : ((Process) o).exitCode() != null;
            if (isReady) {
                ready.add(o);
            }
        }
        return ready;
    }

    /** Joins {@code t} whatever interrupts come; the interrupt flag is set again afterwards. */
    static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

}
