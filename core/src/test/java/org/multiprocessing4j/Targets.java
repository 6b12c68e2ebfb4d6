package org.multiprocessing4j;

import java.time.Duration;

/** Targets for the process tests; static so that lambdas capture nothing but their arguments. */
final class Targets {
    private Targets() {
    }

    static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    static void printName() {
        System.out.println("name=" + Multiprocessing.currentProcess().name());
    }

    static void printNames() {
        Process parent = Multiprocessing.parentProcess();
        System.out.println("self=" + Multiprocessing.currentProcess().name() + " parent="
                + (parent == null ? "none" : parent.name() + "/" + parent.pid()));
    }

    static void fail(String message) throws Exception {
        throw new java.io.IOException(message);
    }

    /** Starts a child of the current process and prints its pid, then sleeps. */
    static void parentOfSleeper(boolean daemonChild, long sleepAfterMillis) throws Exception {
        Process child = new Process(() -> sleep(60_000));
        child.setDaemon(daemonChild);
        child.start();
        System.out.println("grandchild-pid=" + child.pid());
        if (sleepAfterMillis > 0) {
            Thread.sleep(sleepAfterMillis);
        }
    }

    /** Starts a child that prints its name, and joins it. */
    static void parentOfPrinter() throws Exception {
        Process child = new Process(Targets::printNames);
        child.start();
        child.join();
    }

    /** Starts a non-daemon child that finishes after a while, and returns without joining. */
    static void parentThatDoesNotJoin() {
        Process child = new Process(() -> {
            Thread.sleep(500);
            System.out.println("grandchild done");
        });
        child.start();
        System.out.println("child returns");
    }

    static boolean waitUntilDead(long pid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
