package org.multiprocessing4j.cluster.hazelcast;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.MultiprocessingException;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.Queue;

/**
 * A user program of {@link AgentTest}, joined to agents by its system properties: a child puts
 * into its queue; it holds a lock, says "ready", waits for a line on stdin (meanwhile the test
 * kills an agent), then checks that the lock and the queue outlived that agent.
 */
public final class AgentProgram {
    private AgentProgram() {
    }

    /** Holds a lock and waits for it again from another thread; the test kills the only agent. */
    static void waitWhileTheClusterGoes() throws InterruptedException {
        Lock lock = new Lock();
        lock.acquire();
        Thread waiter = new Thread(() -> {
            try {
                System.out.println("waiter got the lock: " + lock.acquire(Duration.ofSeconds(600)));
            } catch (RuntimeException e) {
                System.out.println("waiter failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                System.out.println("waiter interrupted");
            }
        });
        waiter.start();
        System.out.println("waiting");
        waiter.join();
        System.exit(0);
    }

    /**
     * Uses a lock and a queue while the cluster has a majority, says "ready", waits for a line
     * (meanwhile the test kills an agent, leaving this side a minority), then tries again until
     * split-brain protection refuses, and says what happened.
     */
    static void minority() throws Exception {
        Lock lock = new Lock();
        Queue<String> queue = new Queue<>();
        try (var _ = lock.hold()) {
            System.out.println("majority: token " + lock.fencingToken());
        }
        queue.put("before");
        System.out.println("majority: " + queue.get(Duration.ofSeconds(30)));
        System.out.println("ready");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String lockOutcome = "never refused";
        while (System.nanoTime() < deadline) {
            try {
                if (lock.acquire(Duration.ofSeconds(5))) {
                    lock.release();
                }
            } catch (ProcessGoneException e) {
                // An operation that was running on the killed agent: not an answer; try again.
                System.out.println("lost an operation: " + e.getMessage());
            } catch (MultiprocessingException e) {
                lockOutcome = "refused: " + e.getMessage();
                break;
            }
            Thread.sleep(200);
        }
        System.out.println("minority lock " + lockOutcome);
        try {
            queue.put("after");
            System.out.println("minority queue put went through");
        } catch (MultiprocessingException e) {
            System.out.println("minority queue refused: " + e.getMessage());
        }
        try {
            System.out.println("minority queue get went through: " + queue.get(Duration.ofSeconds(5)));
        } catch (MultiprocessingException e) {
            System.out.println("minority queue get refused: " + e.getMessage());
        }
        System.exit(0);
    }

    static void childPuts(Queue<String> queue) throws InterruptedException {
        queue.put("hello from " + Multiprocessing.currentProcess().name());
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("waiter")) {
            waitWhileTheClusterGoes();
            return;
        }
        if (args.length > 0 && args[0].equals("minority")) {
            minority();
            return;
        }
        Context ctx = Multiprocessing.getContext(HazelcastTransportProvider.NAME).toBuilder()
                .jvmOptions(List.of(HazelcastTransportProvider.UNSAFE_MEMORY_ACCESS)).build();
        Queue<String> queue = new Queue<>();
        Process child = ctx.process(() -> childPuts(queue));
        child.start();
        System.out.println(queue.get(Duration.ofSeconds(60)));
        child.join();
        Lock lock = new Lock();
        lock.acquire();
        System.out.println("ready");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        System.out.println("still locked: " + lock.isLocked());
        lock.release();
        queue.put("after");
        System.out.println("queue after: " + queue.get(Duration.ofSeconds(30)));
    }
}
