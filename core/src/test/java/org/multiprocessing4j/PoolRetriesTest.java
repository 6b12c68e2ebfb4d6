package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Pool.Builder.retries}: the chunk a worker died running runs again, when asked. Core's
 * pool logic, the same on every transport, so here rather than in the TCK's PoolKit.
 */
class PoolRetriesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Kills its worker the first time it runs for {@code marker}, then returns {@code x}. */
    static int diesOnce(String marker, int x) throws IOException {
        try {
            Files.createFile(Path.of(marker));
        } catch (FileAlreadyExistsException ranBefore) {
            return x;
        }
        Runtime.getRuntime().halt(3);
        return -1;
    }

    static int alwaysDies() {
        Runtime.getRuntime().halt(4);
        return -1;
    }

    static int square(int x) {
        return x * x;
    }

    @Test
    @DisplayName("with retries, a task whose worker died runs again and succeeds; one that kills every worker fails after its last run, saying so; the pool goes on")
    void rerunAfterDeath() throws Exception {
        String marker = dir.resolve("ran").toString();
        try (Pool pool = Pool.builder().processes(1).retries(1).build()) {
            assertEquals(42, pool.applyAsync(() -> diesOnce(marker, 42)).get(PATIENCE));
            PoolTaskException e = assertThrows(PoolTaskException.class, () -> pool.applyAsync(PoolRetriesTest::alwaysDies).get(PATIENCE));
            WorkerDiedException death = assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertEquals(4, death.exitCode());
            assertTrue(e.getMessage().contains("died on each of its 2 runs"), e.getMessage());
            assertEquals(List.of(1, 4, 9), pool.map(PoolRetriesTest::square, List.of(1, 2, 3)));
        }
    }

    @Test
    @DisplayName("without retries (the default), the task a worker died running fails at once")
    void noRerunByDefault() throws Exception {
        String marker = dir.resolve("ran").toString();
        try (Pool pool = Pool.builder().processes(1).build()) {
            PoolTaskException e = assertThrows(PoolTaskException.class,
                    () -> pool.applyAsync(() -> diesOnce(marker, 42)).get(PATIENCE));
            assertEquals(3, assertInstanceOf(WorkerDiedException.class, e.getCause()).exitCode());
        }
        assertThrows(IllegalArgumentException.class, () -> Pool.builder().retries(-1));
    }
}
