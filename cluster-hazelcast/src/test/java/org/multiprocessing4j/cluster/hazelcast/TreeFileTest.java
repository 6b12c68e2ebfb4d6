package org.multiprocessing4j.cluster.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.ProcessStartTime;

@DisplayName("tree files: what a killed tree left is cleaned up by the next one, a live tree's never")
class TreeFileTest {

    @Test
    @DisplayName("a dead root's file and lock file go, and its member's host still running is stopped; a live root's stay")
    void sweepDead() throws Exception {
        java.lang.Process host = new ProcessBuilder("sleep", "120").start();
        try {
            // A root that cannot exist: a pid above any pid_max.
            ProcessRuntime.RootInfo dead = new ProcessRuntime.RootInfo(2_147_483_000L, 12_345L);
            Path file = TreeFile.path(dead);
            Path lock = file.resolveSibling(file.getFileName() + ".lock");
            Files.writeString(file, "clusterName=gone\naddresses=127.0.0.1:5999\nhost=" + host.pid()
                    + "\nhostStart=" + ProcessStartTime.of(host.pid()) + "\n", StandardCharsets.UTF_8);
            Files.createFile(lock);
            ProcessRuntime.RootInfo self = new ProcessRuntime.RootInfo(ProcessHandle.current().pid(),
                    ProcessStartTime.of(ProcessHandle.current().pid()));
            Path live = TreeFile.path(self);
            Path liveLock = live.resolveSibling(live.getFileName() + ".lock");
            boolean hadLive = Files.exists(live);
            if (!hadLive) {
                Files.writeString(live, "clusterName=live\n", StandardCharsets.UTF_8);
            }
            boolean hadLiveLock = Files.exists(liveLock);
            if (!hadLiveLock) {
                Files.createFile(liveLock);
            }
            try {
                assertTrue(TreeFile.sweepDead() >= 1);
                assertFalse(Files.exists(file), "the dead tree's file stayed");
                assertFalse(Files.exists(lock), "the dead tree's lock file stayed");
                assertTrue(host.waitFor(30, TimeUnit.SECONDS), "the dead tree's member host was not stopped");
                assertTrue(Files.exists(live), "a live tree's file was removed");
                assertTrue(Files.exists(liveLock), "a live tree's lock file was removed");
                assertEquals(0, TreeFile.sweepDead(), "a second sweep found what the first left");
                assertEquals(dead, TreeFile.rootOf(lock.getFileName().toString()));
                assertNull(TreeFile.rootOf("mp4j-hazelcast-x.properties"));
            } finally {
                if (!hadLive) {
                    Files.deleteIfExists(live);
                }
                if (!hadLiveLock) {
                    Files.deleteIfExists(liveLock);
                }
            }
        } finally {
            host.destroyForcibly();
        }
    }
}
