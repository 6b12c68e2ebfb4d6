package org.multiprocessing4j.internal;

import org.multiprocessing4j.spi.PlacedJvm;

/**
 * Python's exit codes from the JVM's: the JDK reports death by signal N as {@code 128 + N};
 * Python reports {@code -N}.
 */
public final class ExitCodes {
    private static final int SIGNAL_BASE = 128;
    private static final int MAX_SIGNAL = 64;

    private ExitCodes() {
    }

    /**
     * Maps a JDK exit value to Python's convention. A child that itself called
     * {@code System.exit(130)} is indistinguishable from one killed by SIGINT and reads as -2;
     * the docs say so.
     *
     * @param jdkExitValue {@link java.lang.Process#exitValue()}
     * @return the exit code a Python user expects
     */
    public static int fromJdk(int jdkExitValue) {
        if (jdkExitValue > SIGNAL_BASE && jdkExitValue <= SIGNAL_BASE + MAX_SIGNAL) {
            return -(jdkExitValue - SIGNAL_BASE);
        }
        return jdkExitValue;
    }

    /**
     * {@return a description such as {@code "exit code 1"} or {@code "signal 9 (SIGKILL)"}}
     *
     * @param exitCode an exit code in Python's convention
     */
    public static String describe(int exitCode) {
        if (exitCode == PlacedJvm.LOST) {
            return "exit code unknown (its host or agent was lost)";
        }
        if (exitCode >= 0) {
            return "exit code " + exitCode;
        }
        int signal = -exitCode;
        String name = switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 14 -> "SIGALRM";
            case 15 -> "SIGTERM";
            default -> null;
        };
        return name == null ? "signal " + signal : "signal " + signal + " (" + name + ")";
    }
}
