package org.multiprocessing4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.DefaultCodec;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessTarget;
import org.multiprocessing4j.internal.codec.Tags;
import org.multiprocessing4j.internal.wire.proto.Bootstrap;

@DisplayName("A child's target: a plain Process's target alone, or a whole Process, and a clear error for anything else")
class ChildTargetTest {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private final DefaultCodec codec = new DefaultCodec();

    private static void count() {
        RUNS.incrementAndGet();
    }

    private Bootstrap bootstrap(byte[] target, boolean targetOnly) {
        Context context = Context.builder().aotCache(false).cacheDirectory(null).standby(0).build();
        return ChildLauncher.bootstrap("Process-7", "7", true, target, context).setTargetOnly(targetOnly).build();
    }

    @Test
    @DisplayName("a target alone becomes the current process, with the bootstrap's name, identity and daemon flag")
    void targetAlone() throws Exception {
        ProcessTarget target = ChildTargetTest::count;
        byte[] encoded = codec.encode(target);
        assertEquals(Tags.LAMBDA, encoded[0], "a method reference takes the codec's lambda path");
        Process p = ChildMain.target(bootstrap(encoded, true), codec);
        assertEquals(Process.class, p.getClass());
        assertEquals("Process-7", p.name());
        assertTrue(p.isDaemon());
        assertEquals(ProcessHandle.current().pid(), p.pid());
        int before = RUNS.get();
        p.run();
        assertEquals(before + 1, RUNS.get());
    }

    @Test
    @DisplayName("only a plain Process with a target travels as its target")
    void whoTravelsAlone() {
        ProcessTarget target = () -> { };
        assertTrue(TargetOnly.applies(new Process(target), target));
        assertFalse(TargetOnly.applies(new Process(target), null));
        Process subclass = new Process() {
            @Override
            public void run() {
            }
        };
        assertFalse(TargetOnly.applies(subclass, target));
    }

    @Test
    @DisplayName("a bootstrap whose target is not what its flag says is refused, naming what it found")
    void mismatch() {
        IllegalStateException notATarget = assertThrows(IllegalStateException.class,
                () -> ChildMain.target(bootstrap(codec.encode("a string"), true), codec));
        assertEquals("the bootstrap target is a java.lang.String, not a ProcessTarget", notATarget.getMessage());
        ProcessTarget target = ChildTargetTest::count;
        IllegalStateException notAProcess = assertThrows(IllegalStateException.class,
                () -> ChildMain.target(bootstrap(codec.encode(target), false), codec));
        assertTrue(notAProcess.getMessage().startsWith("the bootstrap target is a " + ChildTargetTest.class.getName()),
                notAProcess.getMessage());
        assertTrue(notAProcess.getMessage().endsWith(", not a Process"), notAProcess.getMessage());
        IllegalStateException nothing = assertThrows(IllegalStateException.class,
                () -> ChildMain.target(bootstrap(codec.encode(null), true), codec));
        assertEquals("the bootstrap target is a null, not a ProcessTarget", nothing.getMessage());
    }
}
