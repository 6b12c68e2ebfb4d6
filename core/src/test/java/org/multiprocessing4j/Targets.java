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

    static void printStartOptions() {
        Context c = Multiprocessing.getContext();
        System.out.println("aotCache=" + c.aotCache() + " standby=" + c.standby() + " jvmOptions=" + c.jvmOptions()
                + " cacheDirectory=" + c.cacheDirectory());
    }

    /** Keeps one standby JVM, prints its pid once it is ready, and sleeps. */
    static void parentWithStandby() throws Exception {
        parentWithStandby(60_000);
    }

    /** Keeps one standby JVM, prints its pid once it is ready, sleeps {@code millis}, and returns. */
    static void parentWithStandby(long millis) throws Exception {
        Context ctx = Multiprocessing.getContext().toBuilder().standby(1).build();
        ctx.process(() -> { }).start();
        var pool = org.multiprocessing4j.internal.ProcessRuntime.current().standbys();
        while (pool.readyPids().isEmpty()) {
            Thread.sleep(10);
        }
        System.out.println("standby-pid=" + pool.readyPids().getFirst());
        Thread.sleep(millis);
    }

    static void fail(String message) throws Exception {
        throw new java.io.IOException(message);
    }

    /** Starts a child of the current process and prints its pid, then sleeps. */
    static void parentOfSleeper(boolean daemonChild, long sleepAfterMillis) throws Exception {
        parentOfSleeper(daemonChild, sleepAfterMillis, true);
    }

    /** The same, with the child's lifeline on or off. */
    static void parentOfSleeper(boolean daemonChild, long sleepAfterMillis, boolean exitWithParent) throws Exception {
        Context ctx = Multiprocessing.getContext().toBuilder().exitWithParent(exitWithParent).build();
        Process child = ctx.process(() -> sleep(60_000));
        child.setDaemon(daemonChild);
        child.start();
        System.out.println("grandchild-pid=" + child.pid());
        if (sleepAfterMillis > 0) {
            Thread.sleep(sleepAfterMillis);
        }
    }

    /** Starts an OS process that sleeps with this process's stderr, prints its pid, and returns. */
    static void leaveStderrHolder() throws java.io.IOException {
        java.lang.Process holder = new ProcessBuilder("sleep", "120")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        System.out.println("grandchild-pid=" + holder.pid());
    }

    /**
     * Runs {@code cat} with this process's stdin, stdout and stderr; puts twice whether it met
     * end of file on stdin within 10 s (it is killed if not).
     */
    static void catInheritingIo(Queue<Boolean> ended) throws Exception {
        java.lang.Process cat = new ProcessBuilder("cat").inheritIO().start();
        boolean done = cat.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        if (!done) {
            cat.destroyForcibly();
        }
        ended.put(done);
        ended.put(done);
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

    private static boolean isZombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException | RuntimeException gone) {
            return true;
        }
    }

    /** Owns a queue; starts a child without a lifeline that waits on it; prints the child's pid. */
    static void ownerOfAWaitingOrphan(String marker) throws Exception {
        Queue<Object> q = new Queue<>();
        Context ctx = Multiprocessing.getContext().toBuilder().exitWithParent(false).build();
        Process child = ctx.process(() -> waitThenReport(q, marker));
        child.start();
        System.out.println("grandchild-pid=" + child.pid());
        Thread.sleep(60_000);
    }

    private static void waitThenReport(Queue<Object> q, String marker) throws Exception {
        try {
            q.get();
            java.nio.file.Files.writeString(java.nio.file.Path.of(marker), "got an item");
        } catch (ProcessGoneException e) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(marker), "gone: " + e.getMessage());
        }
    }

    /** Prints without a newline, then exits: the output must still arrive. */
    static void printThenExit() {
        System.out.print("no newline");
        System.exit(0);
    }

    /** Returns while a non-daemon thread still has work to do: the process waits for it. */
    static void returnBeforeThread() {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("thread done");
        });
        t.start();
    }

    /** Starts a program that inherits the child's descriptors and writes to its stdout. */
    static void inheritIo() throws Exception {
        new ProcessBuilder("echo", "from an inherited stdout").inheritIO().start().waitFor();
        System.out.println("link still works");
    }

    /**
     * Waits until a process has exited. A zombie counts as exited: an orphan is reaped by
     * whatever init the machine runs, sometimes a second later, and that is not our latency.
     */
    static boolean waitUntilDead(long pid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !isZombie(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
