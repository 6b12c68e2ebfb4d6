package org.multiprocessing4j.cluster.hazelcast;

import java.io.Serial;
import org.multiprocessing4j.spi.BarrierBackend;
import org.multiprocessing4j.spi.Handles;

/**
 * A {@code Barrier} whose round is a record in the cluster ({@link BarrierRecord}). A party
 * arrives, then — unless it is the last — waits, as every waiter of this transport does, by
 * asking again each time the record changes, and collects its outcome (or breaks the barrier
 * when its time runs out or it is interrupted). The action runs in the last party's process,
 * which reports to the record. {@link Arrival#round()} is always 0 here: the record knows the
 * action's runner by its thread.
 *
 * @param key       the record's key
 * @param hasAction whether the last party of each round runs an action
 */
record ClusterBarrier(String key, boolean hasAction) implements BarrierBackend {
    @Serial
    private static final long serialVersionUID = 1L;

    /** {@return this, or a manager's proxy of it when a manager encodes it for a client} */
    @Serial
    private Object writeReplace() {
        return Handles.forClient(this);
    }

    /** Decoded in a process: it joins the cluster in the background, so the first call waits less. */
    @Serial
    private Object readResolve() {
        ClusterNode.prestart();
        return this;
    }

    static ClusterBarrier create(ClusterNode node, int parties, boolean hasAction) {
        return new ClusterBarrier(node.create(State.Kind.BARRIER, parties), hasAction);
    }

    @Override
    public Arrival arrive(long timeoutNanos) throws InterruptedException {
        ClusterNode node = ClusterNode.current();
        // While the round before runs its action, a party waits to enter, untimed.
        long number = ClusterNode.check(node.await(key, Op.Code.BARRIER_ARRIVE, hasAction ? 1 : 0, -1, true)).number();
        int index = (int) number;
        if ((number & BarrierRecord.RUN_ACTION) != 0) {
            return new Arrival(index, true, 0);
        }
        if ((number & BarrierRecord.MUST_WAIT) == 0) {
            return new Arrival(index, false, 0);
        }
        return awaitRelease(node, timeoutNanos);
    }

    private Arrival awaitRelease(ClusterNode node, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean untimed = timeoutNanos < 0;
        while (true) {
            int why;
            try {
                Answer polled = node.await(key, Op.Code.BARRIER_POLL, 0,
                        untimed ? -1 : Math.max(0, deadline - System.nanoTime()), true);
                if (polled.status() != Answer.Status.BROKEN) {
                    ClusterNode.check(polled);
                }
                why = polled.status() == Answer.Status.WAIT ? BarrierRecord.TIMED_OUT : BarrierRecord.COLLECT;
            } catch (InterruptedException e) {
                Answer left = node.call(key, Op.Code.BARRIER_LEAVE, BarrierRecord.INTERRUPTED, 0, true);
                if (left.status() == Answer.Status.OK) {
                    // released before the interrupt could leave: woken, with the flag kept
                    Thread.currentThread().interrupt();
                    return new Arrival((int) left.number(), false, 0);
                }
                if (left.status() != Answer.Status.BROKEN) {
                    ClusterNode.check(left);
                }
                throw e;
            }
            Answer left = ClusterNode.check(node.call(key, Op.Code.BARRIER_LEAVE, why, 0, true));
            if (left.status() == Answer.Status.OK) {
                return new Arrival((int) left.number(), false, 0);
            }
            // WAIT: the round is complete and its action runs, which no timeout breaks
            untimed = true;
        }
    }

    @Override
    public void actionDone(long round, boolean succeeded) {
        ClusterNode.check(ClusterNode.current().call(key, Op.Code.BARRIER_ACTION_DONE, succeeded ? 1 : 0, 0, true));
    }

    @Override
    public void reset() {
        ClusterNode.now(key, Op.Code.BARRIER_RESET, false);
    }

    @Override
    public void abort() {
        ClusterNode.now(key, Op.Code.BARRIER_ABORT, false);
    }

    @Override
    public int nWaiting() {
        return (int) ClusterNode.now(key, Op.Code.BARRIER_N_WAITING, false).number();
    }

    @Override
    public boolean isBroken() {
        return ClusterNode.now(key, Op.Code.BARRIER_IS_BROKEN, false).number() == 1;
    }
}
