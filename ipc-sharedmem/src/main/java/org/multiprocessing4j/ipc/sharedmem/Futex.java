package org.multiprocessing4j.ipc.sharedmem;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Linux's {@code futex(2)} on a 32-bit word of a shared mapping, through an FFM downcall to
 * libc's {@code syscall}. Shared, never {@code FUTEX_PRIVATE_FLAG}: the word may be mapped by
 * several processes at different addresses, and the kernel keys the waiters by the page behind
 * it. Only {@code FUTEX_WAIT} with a relative timeout and {@code FUTEX_WAKE} are used.
 *
 * <p>Errors: {@code EAGAIN} (the word no longer held the expected value), {@code EINTR} (a
 * signal) and {@code ETIMEDOUT} are ordinary outcomes of a wait; any other errno is a bug
 * (a misaligned or unmapped word) and throws {@link IllegalStateException} naming it.
 */
final class Futex {
    /** What {@link #await} saw. */
    enum Outcome {
        /** Woken by a {@link #wake}, or spuriously: re-check the word. */
        WOKEN,
        /** The word did not hold the expected value when the kernel looked. */
        CHANGED,
        /** A signal interrupted the wait. */
        INTERRUPTED,
        /** The time ran out. */
        TIMED_OUT
    }

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ETIMEDOUT = 110;

    /** Why futex cannot be used on this system at all (its OS or architecture), or null. */
    private static final @Nullable String UNSUPPORTED;
    private static final long SYS_FUTEX;

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        long nr = switch (arch) {
            case "amd64", "x86_64" -> 202;
            case "aarch64" -> 98;
            default -> -1;
        };
        String why = null;
        if (!os.startsWith("linux")) {
            why = "futex is a Linux system call and this is " + System.getProperty("os.name");
        } else if (nr < 0) {
            why = "the futex system call number is not known for the architecture " + arch
                    + " (x86-64 and aarch64 are)";
        }
        UNSUPPORTED = why;
        SYS_FUTEX = nr;
    }

    /**
     * The linked call, made when this class is initialized: by the first wait or wake, or
     * ahead of them by {@link #unavailabilityCause}'s thread. Linking takes a cold JVM
     * 100–200 ms (the FFM linker's classes, the symbol's look-up, the downcall's method
     * handles); a JVM that makes a queue does not wait for it, only its first wait or wake
     * might (the class's initialization lock makes such a caller wait for the linking thread).
     */
    private static final class Linked {
        static final @Nullable String UNAVAILABLE;
        static final @Nullable MethodHandle SYSCALL;
        static final StructLayout CALL_STATE;
        static final VarHandle ERRNO;
        static final long TIMESPEC;
        /** Per thread: the captured errno, then a {@code struct timespec} at {@link #TIMESPEC}. */
        static final ThreadLocal<MemorySegment> SCRATCH;

        static {
            String why = UNSUPPORTED;
            MethodHandle handle = null;
            if (why == null) {
                try {
                    handle = link();
                } catch (RuntimeException | Error e) {
                    why = "libc's syscall could not be linked: " + e;
                }
            }
            UNAVAILABLE = why;
            SYSCALL = handle;
            CALL_STATE = Linker.Option.captureStateLayout();
            ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
            TIMESPEC = (CALL_STATE.byteSize() + 7) & ~7L;
            SCRATCH = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(TIMESPEC + 2 * Long.BYTES, Long.BYTES));
        }

        private Linked() {
        }

        /** Does nothing but initialize this class (link the call), if no thread did yet. */
        static void link0() {
            // calling a static method initializes the class
        }
    }

    /** Starts linking on a thread of its own, once per JVM. */
    private static final class Ahead {
        static {
            Thread.ofPlatform().daemon().name("multiprocessing4j-futex-link").start(Linked::link0);
        }

        private Ahead() {
        }

        static void start() {
            // initializing this class started the thread
        }
    }

    private Futex() {
    }

    /** {@code long syscall(long number, ...)} called as futex(addr, op, val, timeout, addr2, val3). */
    @SuppressWarnings("restricted") // every JVM of ours starts with --enable-native-access=ALL-UNNAMED
    private static MethodHandle link() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(
                linker.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    }

    /**
     * {@return why futex cannot be used here, or null when it can} Where this code may make
     * native calls ({@code --enable-native-access}), only the system is checked and the call is
     * linked on a thread of its own meanwhile: it cannot fail but for a libc without
     * {@code syscall}, and a failure is then reported by the first wait or wake. Elsewhere the
     * call is linked now, so that a JVM that refuses native access
     * ({@code --illegal-native-access=deny}) gets another transport, with this cause.
     */
    static @Nullable String unavailabilityCause() {
        if (UNSUPPORTED != null) {
            return UNSUPPORTED;
        }
        if (Futex.class.getModule().isNativeAccessEnabled()) {
            Ahead.start();
            return null;
        }
        return Linked.UNAVAILABLE;
    }

    /**
     * Makes a wake and both outcomes of a wait that does not sleep (the word changed, the time
     * ran out) on a private word, so that an AOT training run links every path.
     *
     * @return how many the wake woke (0), and what the two waits saw ({@code CHANGED}, then
     *         {@code TIMED_OUT} unless a signal or a spurious wake came first)
     * @throws IllegalStateException if futex is not available
     */
    static List<Object> train() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(Integer.BYTES, Integer.BYTES);
            return List.of(wake(word, 0, 1), await(word, 0, 1, 1_000_000L), await(word, 0, 0, 1L));
        }
    }

    /**
     * Sleeps while the word at {@code offset} holds {@code expected}, at most {@code nanos}.
     *
     * @param memory   a shared mapping
     * @param offset   the word's offset, a multiple of 4
     * @param expected the value seen; the kernel checks it atomically with going to sleep
     * @param nanos    the limit, at least 1
     * @return what ended the wait
     */
    static Outcome await(MemorySegment memory, long offset, int expected, long nanos) {
        MemorySegment scratch = Linked.SCRATCH.get();
        scratch.set(JAVA_LONG, Linked.TIMESPEC, nanos / 1_000_000_000L);
        scratch.set(JAVA_LONG, Linked.TIMESPEC + Long.BYTES, nanos % 1_000_000_000L);
        long result = call(scratch, address(memory, offset), FUTEX_WAIT, expected, scratch.address() + Linked.TIMESPEC);
        if (result == 0) {
            return Outcome.WOKEN;
        }
        int errno = (int) Linked.ERRNO.get(scratch, 0L);
        return switch (errno) {
            case EAGAIN -> Outcome.CHANGED;
            case EINTR -> Outcome.INTERRUPTED;
            case ETIMEDOUT -> Outcome.TIMED_OUT;
            default -> throw new IllegalStateException("futex wait failed with errno " + errno);
        };
    }

    /**
     * Wakes at most {@code count} processes or threads sleeping on the word.
     *
     * @param memory a shared mapping
     * @param offset the word's offset, a multiple of 4
     * @param count  how many to wake, at least 1; {@link Integer#MAX_VALUE} for all
     * @return how many were woken
     */
    static int wake(MemorySegment memory, long offset, int count) {
        MemorySegment scratch = Linked.SCRATCH.get();
        long result = call(scratch, address(memory, offset), FUTEX_WAKE, count, 0L);
        if (result < 0) {
            throw new IllegalStateException("futex wake failed with errno " + (int) Linked.ERRNO.get(scratch, 0L));
        }
        return (int) result;
    }

    private static long address(MemorySegment memory, long offset) {
        if ((offset & 3) != 0 || offset < 0 || offset + Integer.BYTES > memory.byteSize()) {
            throw new IllegalArgumentException("a futex word must be 4-byte aligned inside its segment: offset="
                    + offset + ", size=" + memory.byteSize());
        }
        return memory.address() + offset;
    }

    private static long call(MemorySegment state, long word, int op, int value, long timespec) {
        MethodHandle h = Linked.SYSCALL;
        if (h == null) {
            throw new IllegalStateException("futex is not available: " + Linked.UNAVAILABLE);
        }
        try {
            return (long) h.invokeExact(state, SYS_FUTEX, word, op, value, timespec, 0L, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("the futex call failed", t);
        }
    }
}
