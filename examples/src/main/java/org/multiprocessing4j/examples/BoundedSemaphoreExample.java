package org.multiprocessing4j.examples;

import org.multiprocessing4j.BoundedSemaphore;
import org.multiprocessing4j.Process;

/**
 * A {@link BoundedSemaphore} refuses a release above its initial value (Python's
 * {@code ValueError}), here in a child that releases once too often.
 */
public final class BoundedSemaphoreExample {
    private BoundedSemaphoreExample() {
    }

    static void worker(BoundedSemaphore sem) {
        sem.acquire();
        sem.release();
        try {
            sem.release();                             // one release too many
        } catch (IllegalStateException e) {
            System.out.println("the child's extra release was refused");
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        BoundedSemaphore sem = new BoundedSemaphore(1);
        Process p = new Process(() -> worker(sem));
        p.start();
        p.join();
        System.out.println("value still " + sem.getValue());
    }
}
