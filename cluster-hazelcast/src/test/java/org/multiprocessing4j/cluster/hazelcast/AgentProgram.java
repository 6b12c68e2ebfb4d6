package org.multiprocessing4j.cluster.hazelcast;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.multiprocessing4j.AsyncResult;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Lock;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.MultiprocessingException;
import org.multiprocessing4j.Pool;
import org.multiprocessing4j.PoolTaskException;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessGoneException;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.Queue;
import org.multiprocessing4j.WorkerDiedException;

/**
 * A user program of {@link AgentTest}, joined to agents by its system properties: a child puts
 * into its queue; it holds a lock, says "ready", waits for a line on stdin (meanwhile the test
 * kills an agent), then checks that the lock and the queue outlived that agent.
 */
public final class AgentProgram {
    private AgentProgram() {
    }

    /**
     * Holds a lock and waits for it again from another thread, and for an item of an empty
     * queue from a third; the test kills the only agent. Then puts into the queue.
     */
    static void waitWhileTheClusterGoes() throws InterruptedException {
        Lock lock = new Lock();
        Queue<String> queue = new Queue<>();
        lock.acquire();
        Thread getter = new Thread(() -> {
            try {
                System.out.println("getter got: " + queue.get());
            } catch (RuntimeException e) {
                System.out.println("getter failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                System.out.println("getter interrupted");
            }
        });
        getter.start();
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
        getter.join();
        try {
            queue.put("late");
            System.out.println("put went in");
        } catch (RuntimeException e) {
            System.out.println("put failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
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
        System.out.println("minority queue " + refusal(() -> {
            queue.put("after");
            return "put";
        }));
        System.out.println("minority queue get " + refusal(() -> queue.get(Duration.ofSeconds(5))));
        System.exit(0);
    }

    /**
     * {@return "went through: " and what {@code op} returned, or "refused: " and why}; an
     * operation lost on its way (its member was cut off while it travelled, so whether it ran is
     * unknown: {@link ProcessGoneException}) is no answer, and is tried again for up to a minute
     */
    private static String refusal(java.util.concurrent.Callable<String> op) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return "went through: " + op.call();
            } catch (ProcessGoneException e) {
                if (System.nanoTime() - deadline > 0) {
                    return "refused: " + e.getMessage();
                }
                System.out.println("lost an operation: " + e.getMessage());
                Thread.sleep(200);
            } catch (MultiprocessingException e) {
                return "refused: " + e.getMessage();
            }
        }
    }

    /**
     * Starts children through two agents and says what happened to each, one line per check;
     * last, it starts a child on the agent at {@code named}, says "ready", and waits for a line
     * (meanwhile the test kills that agent).
     */
    static void placement(String named) throws Exception {
        Context ctx = Multiprocessing.getContext(HazelcastTransportProvider.NAME).toBuilder()
                .jvmOptions(List.of(HazelcastTransportProvider.UNSAFE_MEMORY_ACCESS)).build();
        Queue<String> reports = new Queue<>();
        Event go = new Event();
        List<Process> pair = List.of(ctx.process(() -> reportThenExit(reports, go)),
                ctx.process(() -> reportThenExit(reports, go)));
        for (Process p : pair) {
            p.start();
        }
        java.util.Set<String> agents = new java.util.TreeSet<>();
        for (int i = 0; i < pair.size(); i++) {
            agents.add(reports.get(Duration.ofSeconds(60)));
        }
        System.out.println("spread over agents: " + agents.size());
        go.set();
        for (Process p : pair) {
            p.join();
        }
        System.out.println("exit codes: " + pair.get(0).exitCode() + " " + pair.get(1).exitCode()
                + ", hosts known: " + (pair.get(0).host() != null && pair.get(1).host() != null));
        Context there = ctx.toBuilder().host(named).build();
        Process one = there.process(() -> reportThenExit(reports, go));
        one.start();
        System.out.println("named agent: " + reports.get(Duration.ofSeconds(60)));
        one.join();
        org.multiprocessing4j.Pipe.Ends pipe = org.multiprocessing4j.Pipe.open();
        org.multiprocessing4j.Connection theirs = pipe.second();
        Process asks = there.process(() -> reportParent(reports, theirs));
        asks.start();
        theirs.close(); // the child's handle holds the end until the child attaches
        System.out.println("parent seen: " + reports.get(Duration.ofSeconds(60)));
        pipe.first().send("ping");
        String echo = (String) pipe.first().recv();
        String end;
        try {
            end = "more: " + pipe.first().recv();
        } catch (java.io.EOFException e) {
            end = "end of file";
        }
        System.out.println("pipe to an agent's child: " + echo + ", then " + end);
        asks.join();
        try {
            ctx.toBuilder().host("nosuch.invalid").build().process(() -> reportThenExit(reports, go)).start();
            System.out.println("bad host: started");
        } catch (ProcessStartException e) {
            System.out.println("bad host: " + e.getMessage());
        }
        try {
            there.toBuilder().jvmOptions("-XX:+NoSuchOptionOfMultiprocessing4j").build()
                    .process(() -> reportThenExit(reports, go)).start();
            System.out.println("bad jvm: started");
        } catch (ProcessStartException e) {
            System.out.println("bad jvm: " + e.getMessage().replace('\n', ' '));
        }
        Process sleeper = ctx.process(() -> reportThenSleep(reports));
        sleeper.start();
        reports.get(Duration.ofSeconds(60));
        sleeper.terminate();
        System.out.println("terminated: " + sleeper.join(Duration.ofSeconds(60)) + " " + sleeper.exitCode());
        long dataBefore;
        try (Pool pool = Pool.builder().processes(4).context(ctx).build()) {
            System.out.println("pool squares: " + pool.map(AgentProgram::square, List.of(1, 2, 3, 4, 5)));
            System.out.println("pool agents: " + new java.util.TreeSet<>(pool.map(AgentProgram::agentOf,
                    java.util.stream.IntStream.range(0, 200).boxed().toList(), 1)).size());
            try {
                System.out.println("failing task: " + pool.apply(AgentProgram::fail, 1));
            } catch (PoolTaskException e) {
                System.out.println("failing task: " + e.getMessage());
            }
            try {
                System.out.println("missing class: " + pool.apply(OnlyInProgram.increment(), 1));
            } catch (PoolTaskException e) {
                System.out.println("missing class: " + e.getClass().getSimpleName() + ": "
                        + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
            }
            try (Pool onA = Pool.builder().processes(1).context(ctx.toBuilder().host(System.getProperty(ClusterSettings.MEMBERS)).build()).build()) {
                System.out.println("missing class on the other agent: " + onA.apply(OnlyInProgram.increment(), 42));
            }
            byte[] model = new byte[3 << 20];
            model[1] = 5;
            dataBefore = ClusterNode.current().liveRecords("data-");
            List<AsyncResult<Integer>> reads = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                reads.add(pool.applyAsync(AgentProgram::secondByte, model));
            }
            int sum = 0;
            for (AsyncResult<Integer> r : reads) {
                sum += r.get(Duration.ofSeconds(120));
            }
            System.out.println("model read: " + sum + ", records stored: "
                    + (ClusterNode.current().liveRecords("data-") - dataBefore));
            Process doomed = there.process(() -> reportThenSleep(reports));
            doomed.start();
            reports.get(Duration.ofSeconds(60));
            List<AsyncResult<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.applyAsync(AgentProgram::slowAgent));
            }
            results.getFirst().get(Duration.ofSeconds(60));
            System.out.println("ready");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            System.out.println("lost: " + doomed.join(Duration.ofSeconds(60)) + " " + doomed.exitCode());
            int ok = 0;
            String failure = "none";
            for (AsyncResult<String> r : results) {
                try {
                    r.get(Duration.ofSeconds(120));
                    ok++;
                } catch (PoolTaskException e) {
                    failure = e.getCause() instanceof WorkerDiedException died ? died.getMessage() : e.toString();
                }
            }
            System.out.println("pool after the loss: " + ok + " of " + results.size() + " done");
            System.out.println("pool failure: " + failure);
            System.out.println("pool afterwards: " + pool.map(AgentProgram::square, List.of(6, 7)));
        }
        long releasedBy = System.nanoTime() + 30_000_000_000L;
        while (ClusterNode.current().liveRecords("data-") > dataBefore && System.nanoTime() < releasedBy) {
            Thread.sleep(100);
        }
        System.out.println("model released: " + (ClusterNode.current().liveRecords("data-") == dataBefore));
        System.exit(0);
    }

    static int fail(int x) {
        throw new IllegalStateException("no " + x);
    }

    static int secondByte(byte[] model) {
        return model[1];
    }

    static int square(int x) {
        return x * x;
    }

    static String slowAgent() throws InterruptedException {
        Thread.sleep(400);
        return System.getProperty(ClusterSettings.AGENT, "no agent");
    }

    static String agentOf(int ignored) throws InterruptedException {
        Thread.sleep(5);
        return System.getProperty(ClusterSettings.AGENT, "no agent");
    }

    static void reportThenExit(Queue<String> reports, Event go) throws InterruptedException {
        reports.put(System.getProperty(ClusterSettings.AGENT, "no agent"));
        go.await();
        System.out.println("child out from " + Multiprocessing.currentProcess().name());
        System.err.println("child err from " + Multiprocessing.currentProcess().name());
        System.exit(3);
    }

    /**
     * Says whether this child, placed on an agent, sees its parent alive (by its link: the
     * parent's pid is another host's) and roots its own tree of shared memory.
     */
    static void reportParent(Queue<String> reports, org.multiprocessing4j.Connection pipe) throws Exception {
        boolean alive = Multiprocessing.parentProcess().isAlive();
        boolean ownTree = org.multiprocessing4j.internal.ProcessRuntime.current().root().pid()
                == ProcessHandle.current().pid();
        try (org.multiprocessing4j.SharedMemory shm = org.multiprocessing4j.SharedMemory.create(64)) {
            shm.unlink();
        }
        reports.put("alive " + alive + ", own tree " + ownTree);
        pipe.send("echo " + pipe.recv() + " from " + System.getProperty(ClusterSettings.AGENT, "no agent"));
        pipe.close();
    }

    static void reportThenSleep(Queue<String> reports) throws InterruptedException {
        reports.put(System.getProperty(ClusterSettings.AGENT, "no agent"));
        Thread.sleep(600_000);
    }

    /**
     * Uses a lock and a queue, says "ready", waits for a line (meanwhile the test cuts the
     * network between this side, which keeps two of three agents, and the third), then uses
     * them again until it can, and says how that went.
     */
    static void majority() throws Exception {
        Lock lock = new Lock();
        Queue<String> queue = new Queue<>();
        try (var _ = lock.hold()) {
            queue.put("before");
        }
        System.out.println("majority before: " + queue.get(Duration.ofSeconds(30)));
        System.out.println("ready");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String outcome = "never went through";
        while (System.nanoTime() < deadline) {
            try {
                if (lock.acquire(Duration.ofSeconds(5))) {
                    lock.release();
                    queue.put("after");
                    outcome = "lock and queue went through: " + queue.get(Duration.ofSeconds(10));
                    break;
                }
            } catch (MultiprocessingException e) {
                // the cluster is still taking the other side's members out: try again
                System.out.println("not yet: " + e);
            }
            Thread.sleep(200);
        }
        System.out.println("majority after the cut: " + outcome);
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
        if (args.length > 1 && args[0].equals("placement")) {
            placement(args[1]);
            return;
        }
        if (args.length > 0 && args[0].equals("majority")) {
            majority();
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
