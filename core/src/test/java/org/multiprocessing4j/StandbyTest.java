package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.StandbyPool;

@DisplayName("Warm start: standby JVMs take targets, are replaced, and never outlive their use")
class StandbyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Context WARM = Context.builder().aotCache(false).standby(1).build();
    private final List<Process> started = new ArrayList<>();

    private static StandbyPool pool() {
        return ProcessRuntime.current().standbys();
    }

    private Process start(Process p) {
        started.add(p);
        p.start();
        return p;
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        List<Long> standbys = pool().standbyPids();
        pool().retireAll();
        for (Process p : started) {
            if (p.pid() != null && p.isAlive()) {
                p.kill();
            }
            p.join(PATIENCE);
        }
        for (long pid : standbys) {
            awaitGone(pid);
        }
    }

    @Test
    @DisplayName("start() hands the target to a ready standby JVM under the process's own name, and a replacement starts")
    void standbyUsedAndReplaced() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            start(WARM.process(Targets::printName)).join();
            long standby = awaitReady();
            Process warm = start(WARM.process(Targets::printName));
            assertEquals(standby, warm.pid(), "the second start should run on the ready standby");
            warm.join();
            assertEquals(0, warm.exitCode(), out.err());
            assertTrue(out.out().contains("name=" + warm.name()), out.out());
            long replacement = await(() -> pool().standbyPids().stream().filter(p -> p != standby).findFirst().orElse(null));
            assertNotEquals(standby, replacement);
        }
    }

    @Test
    @DisplayName("standby JVMs are not children: activeChildren() never lists them")
    void notChildren() throws Exception {
        Process p = start(WARM.process(() -> Targets.sleep(60_000)));
        awaitReady();
        assertEquals(List.of(p), Multiprocessing.activeChildren());
    }

    @Test
    @DisplayName("a standby that dies before use is passed over: the start runs elsewhere and succeeds")
    void deadStandbyPassedOver() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            start(WARM.process(() -> { })).join();
            long standby = awaitReady();
            ProcessHandle.of(standby).orElseThrow().destroyForcibly();
            awaitGone(standby);
            Process p = start(WARM.process(Targets::printName));
            assertNotEquals(standby, p.pid());
            p.join();
            assertEquals(0, p.exitCode(), out.err());
            assertTrue(out.out().contains("name=" + p.name()), out.out());
        }
    }

    @Test
    @DisplayName("standby JVMs that cannot boot make no noise; starts fail cold with the JVM's words, and the pool gives up")
    void brokenOptionsFailColdQuietly() throws Exception {
        Context broken = WARM.toBuilder().jvmOptions("-XX:+NoSuchOptionForMultiprocessing4j").build();
        try (CapturedOutput out = new CapturedOutput()) {
            int starts = StandbyPool.MAX_DEATHS_IN_A_ROW_FOR_TESTS + 2;
            for (int i = 0; i < starts; i++) {
                Process p = broken.process(() -> { });
                ProcessStartException e = assertThrows(ProcessStartException.class, p::start);
                assertTrue(e.getMessage().contains("NoSuchOptionForMultiprocessing4j"), e.getMessage());
            }
            await(() -> pool().standbyPids().isEmpty() ? Boolean.TRUE : null);
            Matcher m = Pattern.compile("NoSuchOptionForMultiprocessing4j").matcher(out.err());
            int printed = 0;
            while (m.find()) {
                printed++;
            }
            // Each failed start prints the JVM's complaint once; the standbys that died unused, never.
            assertEquals(starts, printed, out.err());
        }
    }

    @Test
    @DisplayName("standby JVMs die with their parent, even when it is killed")
    void standbysDieWithParent() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process parent = start(new Process(Targets::parentWithStandby));
            String text = out.awaitOut("standby-pid=", PATIENCE);
            Matcher m = Pattern.compile("standby-pid=(\\d+)").matcher(text);
            assertTrue(m.find(), text);
            long standby = Long.parseLong(m.group(1));
            parent.kill();
            parent.join();
            awaitGone(standby);
            assertFalse(ProcessHandle.of(standby).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    @DisplayName("a process that ends normally kills its standby JVMs at exit without a word")
    void standbysKilledQuietlyAtExit() throws Exception {
        try (CapturedOutput out = new CapturedOutput()) {
            Process parent = start(new Process(() -> Targets.parentWithStandby(0)));
            parent.join();
            assertEquals(0, parent.exitCode(), out.err());
            Matcher m = Pattern.compile("standby-pid=(\\d+)").matcher(out.out());
            assertTrue(m.find(), out.out());
            awaitGone(Long.parseLong(m.group(1)));
            assertEquals("", out.err());
        }
    }

    private static long awaitReady() throws InterruptedException {
        return await(() -> pool().readyPids().stream().findFirst().orElse(null));
    }

    private static <T> T await(Supplier<T> condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        T value;
        while ((value = condition.get()) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE + "; standbys " + pool().standbyPids());
            }
            Thread.sleep(10);
        }
        return value;
    }

    private static void awaitGone(long pid) throws InterruptedException {
        await(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? null : Boolean.TRUE);
    }
}
