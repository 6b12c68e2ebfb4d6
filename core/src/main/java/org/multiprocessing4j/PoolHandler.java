package org.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.pool.ChunkWire;
import org.multiprocessing4j.internal.pool.PoolMessages;

/**
 * A pool's handler thread: the only taker from the result queue, and the watcher of the
 * workers. After each round of messages, or every {@link #TICK}, it checks the workers'
 * liveness and the running chunks' deadlines. When a worker is found dead it first waits until
 * the worker's link has delivered its last frame, then drains the result queue (so whatever the
 * worker sent before dying has been read), then fails the chunk the worker died running, puts
 * back in line the chunks it never took from its inbox and those of its message it never
 * reached, and starts a replacement. A chunk that overruns its limit fails
 * with a {@link TaskTimeoutException}, and its worker is killed and replaced (no death counted).
 * When the pool is closed and every worker has ended, it frees the pool's queues and ends.
 */
final class PoolHandler implements Runnable {
    private static final Duration TICK = Duration.ofMillis(50);
    /** How long a worker told to stop, holding nothing, may take to end before it is killed. */
    static final Duration RETIRE_GRACE = Duration.ofSeconds(10);
    /** How long to wait for a dead worker's last frames before judging its death anyway. */
    private static final Duration LAST_FRAMES = Duration.ofSeconds(5);
    /** How many waiting messages one round takes under the lock. */
    private static final int ROUND = 256;

    private final PoolEngine engine;

    PoolHandler(PoolEngine engine) {
        this.engine = engine;
    }

    @Override
    public void run() {
        try {
            while (true) {
                Object message = poll();
                List<WorkerSlot> toStart = new ArrayList<>();
                List<Process> toReap = new ArrayList<>();
                List<Process> toKill = new ArrayList<>();
                List<Process> dead = deadWorkers();
                boolean done;
                synchronized (engine.lock) {
                    if (message != null) {
                        receiveLocked(message);
                        for (int i = 1; i < ROUND; i++) {
                            Object more = pollNow();
                            if (more == null) {
                                break;
                            }
                            receiveLocked(more);
                        }
                    }
                    superviseLocked(dead, toStart, toReap);
                    enforceDeadlinesLocked(toKill);
                    engine.dispatchLocked();
                    stopIdleWorkersLocked();
                    killStuckRetireesLocked(toKill);
                    done = engine.shutdown && allSlotsEmptyLocked();
                    engine.finished = done;
                }
                engine.outbox.flush();
                toKill.forEach(WorkerLauncher::kill);
                toReap.forEach(WorkerLauncher::reap);
                toStart.forEach(engine.launcher::startInBackground);
                if (done) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            System.err.println(engine.name + ": the pool's handler thread failed; the pool is terminated");
            e.printStackTrace();
            engine.terminate();
            throw e;
        } finally {
            try {
                engine.releaseQueues();
            } finally {
                engine.ended.countDown();
            }
        }
    }

    private @Nullable Object poll() {
        try {
            return engine.results.get(TICK);
        } catch (Queue.Empty | InterruptedException nothing) {
            return null;
        }
    }

    private @Nullable Object pollNow() {
        try {
            return engine.results.getNowait();
        } catch (Queue.Empty nothing) {
            return null;
        }
    }

    /**
     * {@return the workers found dead, each once its link delivered its last frame (or after
     * {@link #LAST_FRAMES}): only then does the result queue hold all it sent}
     */
    private List<Process> deadWorkers() {
        List<Process> dead = new ArrayList<>(0);
        synchronized (engine.lock) {
            for (WorkerSlot slot : engine.slots) {
                Process p = slot.process;
                if (p != null && !p.isAlive()) {
                    dead.add(p);
                }
            }
        }
        for (Process p : dead) {
            try {
                p.join(LAST_FRAMES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException closed) {
                // reaped meanwhile: its frames were read before
            }
        }
        return dead;
    }

    private void receiveLocked(Object message) {
        switch (message) {
            case byte[] bytes -> {
                ChunkWire.Done done = ChunkWire.parseDone(bytes, engine.codec);
                if (done == null) {
                    System.err.println(engine.name + ": unexpected bytes from a worker");
                    return;
                }
                WorkerSlot slot = slotOf(done.worker());
                if (slot == null) {
                    return; // from a worker replaced since
                }
                // Counted even when the chunk is no longer held (cancelled while it waited in the
                // inbox): the worker ran it, and maxTasksPerChild counts what it was given.
                slot.chunksDone++;
                engine.deaths.resetLocked();
                Chunk chunk = slot.answered(done.chunkId(), engine.taskTimeout);
                if (!engine.reruns.isEmpty()) {
                    engine.reruns.remove(done.chunkId());
                }
                engine.measuredLocked(done.runNanos(), chunk == null ? 1 : chunk.tasks());
                if (chunk != null) {
                    WorkerSlot.Worker worker = slot.worker();
                    engine.outbox.add(() -> ChunkResults.deliver(chunk, done, worker, engine.codec));
                }
                if (engine.maxTasksPerChild > 0 && slot.chunksDone >= engine.maxTasksPerChild) {
                    retireLocked(slot);
                }
            }
            case PoolMessages.GaveBack back -> {
                WorkerSlot slot = slotOf(back.worker());
                if (slot != null) {
                    List<Chunk> line = slot.gaveBack(back.chunkIds());
                    for (int i = line.size() - 1; i >= 0; i--) {
                        engine.pending.addFirst(line.get(i)); // in their place, at the head of the line
                    }
                }
            }
            case PoolMessages.OutOfMemory oom -> {
                WorkerSlot slot = slotOf(oom.worker());
                if (slot != null) {
                    slot.outOfMemory = true;
                }
            }
            case PoolMessages.InitializerFailed failed -> {
                WorkerSlot slot = slotOf(failed.worker());
                if (slot != null) {
                    slot.initializerFailure = failed.failure();
                }
            }
            default -> System.err.println(engine.name + ": unexpected message from a worker: " + message);
        }
    }

    private @Nullable WorkerSlot slotOf(int number) {
        for (WorkerSlot slot : engine.slots) {
            if (slot.number == number) {
                return slot;
            }
        }
        return null;
    }

    /** Judges the deaths in {@code dead} (each found by {@link #deadWorkers()}), and starts workers where one is missing. */
    private void superviseLocked(List<Process> dead, List<WorkerSlot> toStart, List<Process> toReap) {
        if (!dead.isEmpty()) {
            drainResultsLocked();
            for (WorkerSlot slot : engine.slots) {
                Process p = slot.process;
                if (p != null && dead.contains(p)) {
                    slotEndedLocked(slot, p);
                    toReap.add(p);
                }
            }
        }
        boolean want = !engine.terminated && engine.deaths.broken() == null
                && (!engine.shutdown || !engine.pending.isEmpty());
        for (WorkerSlot slot : engine.slots) {
            if (want && slot.process == null && !slot.starting) {
                slot.starting = true;
                toStart.add(slot);
            }
        }
    }

    /** Fails the chunks that overran their limits; their workers are to be killed. */
    private void enforceDeadlinesLocked(List<Process> toKill) {
        Duration perTask = engine.taskTimeout;
        if (perTask == null) {
            return;
        }
        long now = System.nanoTime();
        for (WorkerSlot slot : engine.slots) {
            Chunk chunk = slot.running();
            if (chunk == null || !slot.overran(now)) {
                continue;
            }
            String worker = slot.name();
            Process victim = engine.abandonLocked(slot);
            if (victim != null) {
                toKill.add(victim);
            }
            TaskTimeoutException late = new TaskTimeoutException(chunk.describe(),
                    Duration.ofNanos(PoolEngine.limitNanos(perTask, chunk.tasks())), worker);
            engine.outbox.add(() -> chunk.sink().failed(late.getMessage(), late));
        }
    }

    /** What a dead worker sent before it died is in the result queue by now: read it first. */
    private void drainResultsLocked() {
        while (true) {
            Object message;
            try {
                message = engine.results.getNowait();
            } catch (Queue.Empty e) {
                return;
            }
            if (message != null) {
                receiveLocked(message);
            }
        }
    }

    private void slotEndedLocked(WorkerSlot slot, Process p) {
        Integer code = p.exitCode();
        Set<Long> untaken = slot.drainInbox();
        // Taken and unanswered: the first is the one it died running; it runs its chunks in
        // order and every answer it sent has been read, so the later ones never ran. A worker
        // the pool killed was running the chunk it was killed for, which it no longer holds.
        // One cancelled while it waited still ran in its place: if it killed the worker, no
        // other chunk is to blame, and its caller was told already.
        Chunk diedRunning = slot.abandoned ? null : slot.firstTaken(untaken);
        Chunk running = diedRunning == null || slot.forgot(diedRunning) ? null : diedRunning;
        List<Chunk> held = slot.takeAll();
        slot.process = null;
        List<Chunk> lost = running == null ? List.of() : List.of(running);
        for (int i = held.size() - 1; i >= 0; i--) {
            Chunk c = held.get(i);
            if (c != running) {
                engine.pending.addFirst(c); // never ran: it runs elsewhere, in its place in line
            }
        }
        BrokenPoolException broken = engine.deaths.broken();
        if (broken != null) {
            engine.failPendingLocked(broken); // a broken pool starts no worker that could take them
        }
        if (engine.terminated || (lost.isEmpty() && slot.retiring)) {
            return;
        }
        WorkerDiedException death = WorkerDeaths.describe(slot, p, code, engine.codec);
        for (Chunk chunk : lost) {
            int ran = engine.reruns.getOrDefault(chunk.id(), 0);
            if (ran < engine.retries && engine.deaths.broken() == null) {
                engine.reruns.put(chunk.id(), ran + 1);
                engine.pending.addFirst(chunk); // opted into: it runs again on another worker
            } else {
                engine.reruns.remove(chunk.id());
                engine.outbox.add(() -> chunk.sink().failed(death.getMessage() + " while running " + chunk.describe()
                        + (ran == 0 ? "" : ", its worker having died on each of its " + (ran + 1) + " runs"), death));
            }
        }
        engine.countDeathLocked(death);
    }

    private void stopIdleWorkersLocked() {
        if (!engine.shutdown || engine.terminated || !engine.pending.isEmpty() || !engine.openImaps.isEmpty()) {
            return;
        }
        for (WorkerSlot slot : engine.slots) {
            if (slot.process != null && slot.holdsNothing() && !slot.retiring) {
                retireLocked(slot);
            }
        }
    }

    /**
     * Kills a worker that was told to stop and holds nothing, once it has had {@link
     * #RETIRE_GRACE} to end: one still in a hanging initializer never reads the stop (a closing
     * pool's {@code close()} then waited forever), and one whose task left a non-daemon thread
     * running waits for it, as a process does. It holds no task, so nothing fails; its end is no
     * death.
     */
    private void killStuckRetireesLocked(List<Process> toKill) {
        long now = System.nanoTime();
        for (WorkerSlot slot : engine.slots) {
            if (slot.process == null || !slot.retiring || slot.abandoned || !slot.holdsNothing()) {
                continue;
            }
            if (slot.stopDue == 0) {
                slot.stopDue = now + RETIRE_GRACE.toNanos();
            } else if (now - slot.stopDue > 0) {
                System.err.println(engine.name + ": " + slot.name() + " did not end within "
                        + RETIRE_GRACE.toSeconds() + " s of being told to stop (an initializer or a non-daemon"
                        + " thread still running?); it was killed");
                slot.abandoned = true;
                toKill.add(slot.process);
            }
        }
    }

    private static void retireLocked(WorkerSlot slot) {
        slot.retiring = true;
        PoolEngine.putQuietly(slot.inbox, ChunkWire.stop());
    }

    private boolean allSlotsEmptyLocked() {
        for (WorkerSlot slot : engine.slots) {
            if (slot.process != null || slot.starting) {
                return false;
            }
        }
        return true;
    }
}
