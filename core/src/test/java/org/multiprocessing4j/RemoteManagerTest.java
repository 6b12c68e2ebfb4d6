package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Remote managers' primitives, with managers and clients in JVMs of their own. */
class RemoteManagerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String KEY = "remote-manager-test";
    private static Manager manager;
    private static Manager connected;

    private final List<java.lang.Process> jvms = new ArrayList<>();

    @BeforeAll
    static void startManager() throws Exception {
        manager = RemoteManagerMain.manager(KEY);
        manager.start();
        connected = Manager.connect(manager.address(), KEY.getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stopManager() {
        connected.close();
        manager.shutdown();
    }

    @AfterEach
    void killJvms() throws InterruptedException {
        for (java.lang.Process jvm : jvms) {
            jvm.destroyForcibly();
            assertTrue(jvm.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "a JVM of the test did not end");
        }
    }

    /** Starts {@link RemoteManagerMain} in a JVM of its own (no child of this one) and reads its first line. */
    private String[] jvm(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                RemoteManagerMain.class.getName()));
        command.addAll(List.of(args));
        java.lang.Process jvm = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        jvms.add(jvm);
        String line = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw new AssertionError("the JVM ended before it said anything");
        }
        return line.split(" ");
    }

    /** Waits for {@code f} to fail, and returns why. */
    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            Object result = f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("returned " + result + " instead of failing");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static <T> CompletableFuture<T> inBackground(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    @Test
    @DisplayName("a manager in another JVM whose JVM is killed while clients wait in it: they fail, nothing hangs")
    void managerJvmKilled() throws Exception {
        managerKilled(false);
    }

    @Test
    @DisplayName("a manager in another JVM whose server process is killed while clients wait in it: they fail")
    void managerServerKilled() throws Exception {
        managerKilled(true);
    }

    private void managerKilled(boolean serverOnly) throws Exception {
        String[] serving = jvm("serve", "other-key");
        assertEquals("serving", serving[0]);
        long serverPid = Long.parseLong(serving[2]);
        try (Manager m = Manager.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(serving[1])),
                "other-key".getBytes(StandardCharsets.UTF_8))) {
            Queue<String> q = m.queue();
            Lock lock = m.lock();
            Event never = m.event();
            assertTrue(lock.acquire(false));
            CompletableFuture<String> getter = inBackground(q::get);
            CompletableFuture<Boolean> acquirer = inBackground(() -> lock.acquire(PATIENCE));
            CompletableFuture<Boolean> waiter = inBackground(() -> never.await(PATIENCE));
            Thread.sleep(500);
            if (serverOnly) {
                ProcessHandle.of(serverPid).orElseThrow().destroyForcibly();
            } else {
                jvms.getFirst().destroyForcibly();
            }
            for (CompletableFuture<?> f : List.of(getter, acquirer, waiter)) {
                Throwable why = failure(f);
                assertInstanceOf(ProcessGoneException.class, why, String.valueOf(why));
            }
            assertThrows(ProcessGoneException.class, () -> q.put("late"));
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "the manager's server outlived its JVM");
            Thread.sleep(20);
        }
    }

    @Test
    @DisplayName("a client JVM killed holding a manager's lock: the lock passes to a waiting client, which is told; "
            + "the client's objects are released")
    void clientJvmKilledHoldingLock() throws Exception {
        RemoteManagerMain.Hub hub = connected.create(RemoteManagerMain.Hub.class);
        Lock lock = hub.lock();
        int objects = manager.objectCount();
        int port = ((InetSocketAddress) manager.address()).getPort();
        assertEquals("held", jvm("hold", String.valueOf(port), KEY)[0]);
        assertEquals(objects + 1, manager.objectCount(), "the client's map");
        assertFalse(lock.acquire(false));
        try (CapturedOutput output = new CapturedOutput()) {
            CompletableFuture<Boolean> waiter = inBackground(() -> lock.acquire(PATIENCE));
            Thread.sleep(300);
            assertFalse(waiter.isDone());
            jvms.getFirst().destroyForcibly();
            assertTrue(waiter.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertTrue(output.err().contains("died holding it"), output.err());
            assertTrue(output.err().contains("remote client"), output.err());
        }
        assertTrue(lock.isLocked());
        assertEquals(objects, manager.objectCount(), "the dead client's map is released");
        lock.release();
        Lock treeSide = manager.create(RemoteManagerMain.Hub.class).lock();
        assertTrue(treeSide.acquire(false), "the tree's handle of the same lock");
        assertFalse(lock.acquire(false));
        treeSide.release();
        // The hub's proxy, collected before the counts above were read, would have released it.
        java.lang.ref.Reference.reachabilityFence(hub);
    }
}
