package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Value and RawValue: numbers and booleans in shared memory")
class SharedValueTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int PROCESSES = 3;
    private static final int ROUNDS = 300;
    private ShmFiles shm;

    @BeforeEach
    void snapshot() {
        shm = ShmFiles.snapshot();
    }

    @AfterEach
    void onlyHeapSegmentsStay() {
        // Values live in heap segments of this JVM's tree until it exits (see ShmRootTest).
        shm.assertNothingAddedBut(ShmFiles.ownTreeFiles());
    }

    @Test
    @DisplayName("each type gets and sets, and its atomic helpers return what AtomicX would")
    void typedOperations() {
        SharedDataChecks.values();
    }

    @Test
    @DisplayName("Python's type codes map to the typed classes; unknown codes and misfits name the problem")
    void typeCodes() {
        assertInstanceOf(Value.OfInt.class, Value.of('i', 7));
        assertInstanceOf(Value.OfLong.class, Value.of('l', 7));
        assertInstanceOf(Value.OfLong.class, Value.of('q', 7L));
        assertInstanceOf(Value.OfDouble.class, Value.of('d', 2.5));
        assertInstanceOf(Value.OfDouble.class, Value.of('f', 2.5f));
        assertInstanceOf(Value.OfBoolean.class, Value.of('?', true));
        assertInstanceOf(RawValue.OfInt.class, RawValue.of('i', 1));
        assertFalse(RawValue.of('i', 1) instanceof Value);
        assertEquals('q', Value.of('l', 1).typeCode());
        assertEquals(2.5, Value.of('f', 2.5f).getValue());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Value.of('x', 1));
        assertTrue(unknown.getMessage().contains("no Value has type code 'x'"), unknown.getMessage());
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> Value.of('i', 1L << 40));
        assertTrue(tooBig.getMessage().contains("cannot hold 1099511627776"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Value.of('i', 1.5));
        java.math.BigInteger twoTo64 = java.math.BigInteger.ONE.shiftLeft(64);
        assertThrows(IllegalArgumentException.class, () -> Value.of('i', twoTo64), "2^64 was kept as its low bits");
        assertThrows(IllegalArgumentException.class, () -> Value.of('q', twoTo64), "2^64 was kept as its low bits");
        assertThrows(IllegalArgumentException.class, () -> Value.of('q', new java.math.BigDecimal("1.5")));
        assertEquals(Long.MAX_VALUE, Value.of('q', java.math.BigInteger.valueOf(Long.MAX_VALUE)).getValue());
        assertEquals(3, Value.of('i', new java.math.BigDecimal("3.00")).getValue());
        assertEquals(5, Value.of('i', new java.util.concurrent.atomic.AtomicInteger(5)).getValue());
        assertThrows(IllegalArgumentException.class, () -> Value.of('?', 1));
        assertThrows(IllegalArgumentException.class, () -> RawValue.of('d', "1.0"));
    }

    @Test
    @DisplayName("the default lock is a new RLock (Python's); a given Lock is used; a JVM-local lock is refused")
    void locks() {
        Value.OfInt v = Value.ofInt(0);
        assertInstanceOf(RLock.class, v.getLock());
        try (var _ = v.hold()) {
            try (var _ = v.hold()) {
                assertTrue(((RLock) v.getLock()).isHeldByCurrentThread());
            }
        }
        Lock shared = new Lock();
        Value.OfLong a = Value.ofLong(1, shared);
        Value.OfDouble b = Value.ofDouble(1, shared);
        assertSame(shared, a.getLock());
        assertSame(shared, b.getLock());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Value.ofInt(0, new ReentrantLock()));
        assertTrue(e.getMessage().contains("must be a multiprocessing4j Lock or RLock"), e.getMessage());
    }

    @Test
    @DisplayName("values are equal when they are the same shared memory, and print like Python's")
    void identity() {
        Value.OfInt a = Value.ofInt(3);
        Value.OfInt b = Value.ofInt(3);
        assertNotEquals(a, b);
        assertEquals("Value('i', 3)", a.toString());
        assertEquals("RawValue('?', true)", RawValue.ofBoolean(true).toString());
    }

    @Test
    @DisplayName("processes incrementing a Value under its lock reach the exact total")
    void lockedCounter() throws Exception {
        Value.OfInt counter = Value.ofInt(0);
        runAll(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                try (var _ = counter.hold()) {
                    counter.set(counter.get() + 1);
                }
            }
        });
        assertEquals(PROCESSES * ROUNDS, counter.get());
    }

    @Test
    @DisplayName("processes using getAndAdd without any lock reach the exact total")
    void atomicCounter() throws Exception {
        RawValue.OfLong counter = RawValue.ofLong(0);
        Value.OfDouble sum = Value.ofDouble(0);
        runAll(() -> {
            for (int i = 0; i < ROUNDS * 20; i++) {
                counter.getAndAdd(1);
                sum.getAndAdd(0.5);
            }
        });
        assertEquals(PROCESSES * ROUNDS * 20L, counter.get());
        assertEquals(PROCESSES * ROUNDS * 10.0, sum.get());
    }

    @Test
    @DisplayName("a value sent through a queue is the same memory in the receiver, lock included")
    void throughQueue() throws Exception {
        Queue<Value.OfBoolean> q = new Queue<>();
        Value.OfBoolean flag = Value.ofBoolean(false);
        Process p = new Process(() -> {
            Value.OfBoolean got = q.get();
            try (var _ = got.hold()) {
                got.set(true);
            }
        });
        p.start();
        q.put(flag);
        assertTrue(p.join(PATIENCE));
        assertEquals(0, p.exitCode());
        assertTrue(flag.get());
        assertFalse(((RLock) flag.getLock()).isLocked());
    }

    static void runAll(ProcessTarget target) throws Exception {
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            Process p = new Process(target);
            ps.add(p);
            p.start();
        }
        for (Process p : ps) {
            assertTrue(p.join(PATIENCE), p.name() + " did not end");
            assertEquals(0, p.exitCode(), p.name());
        }
    }
}
