package org.multiprocessing4j.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * When a process started, as a number that tells it from a later process reusing its pid.
 *
 * <p>On Linux it is field 22 of {@code /proc/PID/stat}: clock ticks since boot, which no change
 * of the wall clock moves (the JDK's {@link ProcessHandle.Info#startInstant()} adds the boot
 * time as the wall clock sees it now, so two JVMs may disagree after the clock was stepped).
 * Elsewhere it is {@code startInstant()} in epoch milliseconds. Zero means the OS did not say;
 * callers then go by the pid alone. Values are only compared with values of the same machine.
 */
public final class ProcessStartTime {
    /** Field 22 of /proc/PID/stat; fields after the command name count from field 3. */
    private static final int START_TIME_FIELD_AFTER_NAME = 22 - 3;

    private ProcessStartTime() {
    }

    /**
     * {@return the process's start time, or 0 when it is not running or the OS does not say}
     *
     * @param pid a process id
     */
    public static long of(long pid) {
        long fromProc = fromProc(pid);
        if (fromProc != 0) {
            return fromProc;
        }
        return ProcessHandle.of(pid)
                .flatMap(h -> h.info().startInstant())
                .map(Instant::toEpochMilli)
                .orElse(0L);
    }

    /**
     * {@return whether that same process is still running: a process of this pid runs, and its
     * start time is {@code startTime} (or one of them is unknown)}
     *
     * @param pid       a process id
     * @param startTime what {@link #of} said about it earlier, 0 if it did not know
     */
    public static boolean isRunning(long pid, long startTime) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        long now = of(pid);
        return startTime == 0 || now == 0 || now == startTime;
    }

    private static long fromProc(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException noProc) {
            return 0;
        }
        // The command name is in parentheses and may itself contain spaces and parentheses.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return 0;
        }
        String[] fields = stat.substring(close + 1).trim().split(" ");
        if (fields.length <= START_TIME_FIELD_AFTER_NAME) {
            return 0;
        }
        try {
            return Long.parseLong(fields[START_TIME_FIELD_AFTER_NAME]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
