package org.multiprocessing4j;

import java.io.Serial;
import java.io.Serializable;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * {@link java.util.concurrent.locks.Condition} over a process {@link Condition}: what
 * {@link LockSupport#newCondition()} returns. It travels to other processes as the condition
 * does. Not holding the lock is {@link IllegalMonitorStateException} here, as Java's locks say.
 */
final class ConditionView implements java.util.concurrent.locks.Condition, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Condition condition;

    ConditionView(Condition condition) {
        this.condition = condition;
    }

    @Override
    public void await() throws InterruptedException {
        await(-1, true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            await(-1, false);
        } catch (InterruptedException cannotHappen) {
            throw new AssertionError(cannotHappen);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = System.nanoTime();
        boolean signalled = await(Math.max(0, nanosTimeout), true);
        long left = nanosTimeout - (System.nanoTime() - start);
        return signalled ? left : Math.min(0, left);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return await(Math.max(0, unit.toNanos(time)), true);
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long millis = deadline.getTime() - System.currentTimeMillis();
        return await(Math.max(0, TimeUnit.MILLISECONDS.toNanos(millis)), true);
    }

    @Override
    public void signal() {
        try {
            condition.signal();
        } catch (IllegalStateException e) {
            throw monitorState(e);
        }
    }

    @Override
    public void signalAll() {
        try {
            condition.signalAll();
        } catch (IllegalStateException e) {
            throw monitorState(e);
        }
    }

    private boolean await(long nanos, boolean interruptible) throws InterruptedException {
        try {
            return condition.awaitNanos(nanos, interruptible);
        } catch (IllegalStateException e) {
            throw monitorState(e);
        }
    }

    private static IllegalMonitorStateException monitorState(IllegalStateException e) {
        IllegalMonitorStateException m = new IllegalMonitorStateException(e.getMessage());
        m.initCause(e);
        return m;
    }

    @Override
    public String toString() {
        return condition.toString();
    }
}
