package org.multiprocessing4j.examples;

import org.multiprocessing4j.Process;
import org.multiprocessing4j.RLock;

/**
 * A child takes an {@link RLock} again while it holds it (a recursive function), which a
 * {@link org.multiprocessing4j.Lock} would refuse; Python's {@code RLock}.
 */
public final class RLockExample {
    private RLockExample() {
    }

    static void countDown(RLock lock, int depth) {
        try (var _ = lock.hold()) {
            System.out.println("depth " + depth + ", held by me: " + lock.isHeldByCurrentThread());
            if (depth > 1) {
                countDown(lock, depth - 1);
            }
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        RLock lock = new RLock();
        Process p = new Process(() -> countDown(lock, 3));
        p.start();
        p.join();
        System.out.println("released: " + !lock.isLocked());
    }
}
