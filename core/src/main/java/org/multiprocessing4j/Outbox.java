package org.multiprocessing4j;

import java.util.ArrayList;
import java.util.List;

/**
 * What a pool must do outside its lock (deliver an outcome to a sink, which may run user code):
 * queued while the lock is held, run by whichever thread {@linkplain #flush() flushes} next,
 * with no lock held. One failing action never costs the others theirs.
 */
final class Outbox {
    private final List<Runnable> actions = new ArrayList<>();

    /** Queues an action; called from any thread, usually under the pool's lock. */
    synchronized void add(Runnable action) {
        actions.add(action);
    }

    /** Runs what was queued; never called under the pool's lock. */
    void flush() {
        List<Runnable> todo;
        synchronized (this) {
            if (actions.isEmpty()) {
                return;
            }
            todo = new ArrayList<>(actions);
            actions.clear();
        }
        for (Runnable r : todo) {
            try {
                r.run();
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (RuntimeException | Error failure) {
                // one result that cannot be delivered (its class fails to initialise here, say)
                // must not cost the others theirs
                System.err.println("multiprocessing4j: a pool result could not be delivered: " + failure);
            }
        }
    }
}
