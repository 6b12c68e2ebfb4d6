package org.multiprocessing4j.ipc.sharedmem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A process as shared memory records it: its pid and the low 32 bits of its start time (clock
 * ticks after boot, field 22 of {@code /proc/PID/stat}), packed in one {@code long} so that a
 * lock word can hold it and be swapped atomically. The start time is what tells a live process
 * from a later one that reuses a dead one's pid.
 *
 * <p>Layout of the packed form (little-endian memory, so the pid is the 32-bit word at the
 * lower address, which is what a futex waits on):
 * <pre>
 *  63                 32 31                  0
 * +---------------------+---------------------+
 * | start ticks (low 32)|         pid         |
 * +---------------------+---------------------+
 * </pre>
 * Zero means "nobody": no process has pid 0.
 */
final class ProcessIdentity {
    private static final long CURRENT = packed(ProcessHandle.current().pid());
    /** How long a process seen alive is taken to be alive by {@link #isAliveRecently}. */
    static final long RECENT_NANOS = 10_000_000L;
    /** Identity to the time it was last seen alive, or {@link Long#MIN_VALUE} once seen dead. */
    private static final ConcurrentHashMap<Long, Long> SEEN = new ConcurrentHashMap<>();

    private ProcessIdentity() {
    }

    /** {@return this process, packed} */
    static long current() {
        return CURRENT;
    }

    /**
     * {@return its pid}
     *
     * @param identity a packed identity
     */
    static int pid(long identity) {
        return (int) identity;
    }

    /**
     * {@return whether that process still runs: its pid exists, started at the recorded time, and
     * is not a zombie (a killed child nobody has reaped yet is dead)}
     *
     * @param identity a packed identity, not zero
     */
    static boolean isAlive(long identity) {
        if (identity == CURRENT) {
            return true;
        }
        String[] stat = stat(pid(identity));
        boolean alive = stat != null && startTicks(stat) == (int) (identity >>> 32) && !isDead(stat[0]);
        if (!alive) {
            SEEN.put(identity, Long.MIN_VALUE);
        }
        return alive;
    }

    /**
     * {@link #isAlive}, answered from what this JVM saw in the last 10 ms: for operations that
     * do not wait, which would otherwise read {@code /proc} every time. Dead is for good.
     *
     * @param identity a packed identity, not zero
     * @return whether that process was alive 10 ms ago or later
     */
    static boolean isAliveRecently(long identity) {
        if (identity == CURRENT) {
            return true;
        }
        Long seen = SEEN.get(identity);
        long now = System.nanoTime();
        if (seen != null && (seen == Long.MIN_VALUE || now - seen < RECENT_NANOS)) {
            return seen != Long.MIN_VALUE;
        }
        boolean alive = isAlive(identity);
        SEEN.put(identity, alive ? now : Long.MIN_VALUE);
        return alive;
    }

    /**
     * {@return "process PID", for messages}
     *
     * @param identity a packed identity
     */
    static String describe(long identity) {
        return "process " + pid(identity);
    }

    private static long packed(long pid) {
        String[] stat = stat(pid);
        if (stat == null) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat of this process");
        }
        return (Integer.toUnsignedLong(startTicks(stat)) << 32) | (pid & 0xFFFF_FFFFL);
    }

    private static int startTicks(String[] fieldsAfterName) {
        // Field 22 of /proc/PID/stat; fieldsAfterName[0] is field 3, the state.
        return (int) Long.parseLong(fieldsAfterName[22 - 3]);
    }

    private static boolean isDead(String state) {
        return state.equals("Z") || state.equals("X") || state.equals("x");
    }

    /**
     * {@return whether the process is known to have ended: its {@code /proc} entry is gone, is
     * a zombie, or is another process of the same pid} Unlike {@link #isAlive}, a {@code /proc}
     * that cannot be read (no descriptor left, {@code hidepid}) is no proof of death: for taking
     * a place a live process might still hold.
     *
     * @param identity a packed identity, not zero
     */
    static boolean isSurelyDead(long identity) {
        if (identity == CURRENT) {
            return false;
        }
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid(identity)), "stat"), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException gone) {
            return true;
        } catch (IOException unknown) {
            return false;
        }
        String[] stat = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        return startTicks(stat) != (int) (identity >>> 32) || isDead(stat[0]);
    }

    /** {@return the fields of /proc/PID/stat after the command name, or null if there is no such process} */
    private static String @Nullable [] stat(long pid) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            // The command name (field 2) is in parentheses and may itself hold spaces and ')'.
            return text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            // ESRCH while reading: the process ended between open and read.
            return null;
        }
    }
}
