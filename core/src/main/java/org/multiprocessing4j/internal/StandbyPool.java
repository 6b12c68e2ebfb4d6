package org.multiprocessing4j.internal;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.ProcessStartException;

/**
 * Standby child JVMs (warm start): per set of launch settings, JVMs started ahead of need and
 * waiting for a bootstrap frame, so that {@code Process.start()} hands the target to one that is
 * ready instead of booting a JVM. Taking one starts a replacement in the background, a little
 * later ({@value #REFILL_DELAY_MILLIS} ms), so that its boot does not slow the start it replaces.
 *
 * <p>Standbys are no processes: nothing counts them (not {@code activeChildren()}), they exit
 * with this JVM (their stdin is the same lifeline as a child's), and at exit they are killed
 * without a word. A JVM that dies while standing by is dropped; after
 * {@value #MAX_DEATHS_IN_A_ROW} such deaths in a row for one set of settings, no more standbys
 * are started for it, and starts are cold (and say what is wrong). Thread-safe.
 */
public final class StandbyPool {
    static final int MAX_DEATHS_IN_A_ROW = 3;
    /**
     * How long after a take its replacement starts booting: a JVM's boot takes a CPU for a
     * hundred milliseconds or more, and started at once it competed with the standby just taken
     * for the CPUs while that one decoded its target (2 cores, 2026-12-07: start() 10–38 ms
     * with the replacement at once, 8–12 ms with it 100 ms later). A start that comes sooner
     * than a replacement could have booted anyway is cold either way.
     */
    static final long REFILL_DELAY_MILLIS = 100;
    /** {@link #MAX_DEATHS_IN_A_ROW}, for tests. */
    public static final int MAX_DEATHS_IN_A_ROW_FOR_TESTS = MAX_DEATHS_IN_A_ROW;

    /** What makes two child JVMs interchangeable before their bootstrap. */
    private record LaunchKey(Path java, String classPath, List<String> jvmOptions, Map<String, String> environment,
                             int maxFrameSize, boolean aotCache, @Nullable Path cacheDirectory) {
        static LaunchKey of(Context c) {
            return new LaunchKey(c.javaExecutable(), c.classPath(), c.jvmOptions(), c.environment(),
                    c.maxFrameSize(), c.aotCache(), c.cacheDirectory());
        }
    }

    /** The standbys of one launch key. */
    private static final class Slot {
        final ArrayDeque<ChildProcessHandle> waiting = new ArrayDeque<>();
        int launching;
        int deathsInARow;
        boolean retired;
    }

    private final Map<LaunchKey, Slot> slots = new HashMap<>();
    private @Nullable ScheduledExecutorService launcher;
    private boolean closed;

    /** A pool with no standby JVM yet; they are started on first use. */
    public StandbyPool() {
    }

    /**
     * Takes a standby JVM for a child of {@code context}, the longest ready one first, and
     * starts replacements up to the context's {@link Context#standby()} count.
     *
     * @param context the child's context
     * @return a JVM waiting for its bootstrap, or null: start the child cold
     */
    synchronized @Nullable ChildProcessHandle take(Context context) {
        if (context.standby() == 0 || closed) {
            return null;
        }
        Slot slot = slots.computeIfAbsent(LaunchKey.of(context), k -> new Slot());
        dropDead(slot);
        ChildProcessHandle chosen = slot.waiting.stream().filter(ChildProcessHandle::isReady).findFirst().orElse(null);
        if (chosen == null) {
            // None is ready: the oldest one still booting is nearer to ready than a cold JVM.
            chosen = slot.waiting.peekFirst();
        }
        if (chosen != null) {
            slot.waiting.remove(chosen);
            slot.deathsInARow = 0;
        }
        refill(slot, context);
        return chosen;
    }

    /** Forgets standbys that died while waiting; each counts as a death. */
    private static void dropDead(Slot slot) {
        for (Iterator<ChildProcessHandle> it = slot.waiting.iterator(); it.hasNext(); ) {
            if (!it.next().isAlive()) {
                it.remove();
                slot.deathsInARow++;
            }
        }
    }

    private void refill(Slot slot, Context context) {
        while (slot.waiting.size() + slot.launching < context.standby() && slot.deathsInARow < MAX_DEATHS_IN_A_ROW) {
            slot.launching++;
            launcher().schedule(() -> launchOne(slot, context), REFILL_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private ScheduledExecutorService launcher() {
        if (launcher == null) {
            launcher = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("multiprocessing4j-standby-launcher").factory());
        }
        return launcher;
    }

    private void launchOne(Slot slot, Context context) {
        ChildProcessHandle h;
        try {
            h = ChildProcessHandle.launch(context, true, "a standby JVM");
        } catch (ProcessStartException e) {
            synchronized (this) {
                slot.launching--;
                slot.deathsInARow++;
            }
            return;
        }
        synchronized (this) {
            slot.launching--;
            if (closed || slot.retired) {
                h.retire();
            } else {
                slot.waiting.addLast(h);
            }
        }
    }

    /** {@return the process ids of the standby JVMs waiting now, for tests and diagnostics} */
    public synchronized List<Long> standbyPids() {
        List<Long> pids = new ArrayList<>();
        slots.values().forEach(s -> {
            dropDead(s);
            s.waiting.forEach(h -> pids.add(h.pid()));
        });
        return pids;
    }

    /** {@return the process ids of the standby JVMs that are ready now} */
    public synchronized List<Long> readyPids() {
        standbyPids();
        List<Long> pids = new ArrayList<>();
        slots.values().forEach(s -> s.waiting.stream().filter(ChildProcessHandle::isReady).forEach(h -> pids.add(h.pid())));
        return pids;
    }

    /** Kills every standby JVM; later starts fill the pool again. */
    public synchronized void retireAll() {
        for (Slot slot : slots.values()) {
            slot.retired = true;
            slot.waiting.forEach(ChildProcessHandle::retire);
            slot.waiting.clear();
        }
        slots.clear();
    }

    /** At exit: kills every standby JVM and starts no more. */
    synchronized void close() {
        closed = true;
        retireAll();
        if (launcher != null) {
            launcher.shutdownNow();
        }
    }
}
