package org.multiprocessing4j.tck;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ProcessTarget;
import org.multiprocessing4j.internal.ProcessRuntime;

/**
 * The base of every kit: the transport's context (the one factory method a transport
 * supplies), processes started through it and killed after each test whatever happened, and
 * the output of this JVM and its children captured for checks.
 *
 * <p>Kits start real child JVMs, so they keep the number of children small and never assert
 * a duration: they check that something happens, waiting at most {@link #PATIENCE}.
 */
public abstract class TransportKit {

    /** For a kit, or a transport's own test class. */
    protected TransportKit() {
    }
    /** The longest any kit waits for something that should happen. */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<Process> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    private PrintStream savedOut = System.out;
    private PrintStream savedErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /**
     * The one method a transport implements: a context bound to it, usually
     * {@code Multiprocessing.getContext("name")}.
     *
     * @return the transport's context
     */
    protected abstract Context context();

    /**
     * Makes this JVM use the kit's transport for what it creates itself (the queues, locks and
     * pipes a test makes here), not only for its children: sets the selection's system property
     * before this JVM makes its transport, and fails the test if it made another one already.
     */
    @BeforeEach
    final void sameTransportHere() {
        String named = context().transport();
        if (named == null) {
            return; // the kit's context follows the selection rules, as this JVM does
        }
        ProcessRuntime rt = ProcessRuntime.current();
        if (System.getProperty(TRANSPORT_PROPERTY) == null && rt.transportName() == null) {
            System.setProperty(TRANSPORT_PROPERTY, named);
        }
        rt.transport(); // made now, if not before
        String here = rt.transportName();
        if (!named.equals(here)) {
            throw new AssertionError("the kit tests transport '" + named + "', but this JVM uses '" + here
                    + "' for what it creates itself (another provider won the selection, or an earlier test made"
                    + " it); run the kit's JVM with -D" + TRANSPORT_PROPERTY + "=" + named);
        }
    }

    private static final String TRANSPORT_PROPERTY = "multiprocessing4j.transport";

    @BeforeEach
    final void captureOutput() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    final void killAndRestore() throws InterruptedException {
        try {
            for (Process p : started) {
                try {
                    if (p.pid() != null && p.isAlive()) {
                        p.kill();
                        p.join(PATIENCE);
                    }
                } catch (IllegalStateException closed) {
                    // closed by the test: ended already
                }
            }
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            savedOut.print(out());
            savedErr.print(err());
        }
    }

    /**
     * Starts a process of the transport's context; it is killed after the test if still alive.
     *
     * @param target what it runs
     * @return the started process
     */
    protected final Process start(ProcessTarget target) {
        Process p = context().process(target);
        started.add(p);
        p.start();
        return p;
    }

    /**
     * Starts a process and waits for it to end with exit code 0.
     *
     * @param target what it runs
     * @throws InterruptedException if interrupted
     */
    protected final void run(ProcessTarget target) throws InterruptedException {
        succeeded(start(target));
    }

    /**
     * Waits for processes to end with exit code 0; a failure names the process and shows this
     * JVM's captured stderr, where the children's tracebacks are.
     *
     * @param processes started processes
     * @throws InterruptedException if interrupted
     */
    protected final void succeeded(Process... processes) throws InterruptedException {
        for (Process p : processes) {
            if (!p.join(PATIENCE)) {
                throw new AssertionError(p.name() + " did not end within " + PATIENCE + "; stderr: " + err());
            }
            if (!Integer.valueOf(0).equals(p.exitCode())) {
                throw new AssertionError(p.name() + " ended with " + p.exitCode() + "; stderr: " + err());
            }
        }
    }

    /** {@return what this JVM and its children printed on stdout so far in this test} */
    protected final String out() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** {@return what this JVM and its children printed on stderr so far in this test} */
    protected final String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits until stdout contains {@code text}.
     *
     * @param text what to wait for
     * @return the output so far
     * @throws InterruptedException if interrupted
     * @throws AssertionError       if it does not appear within {@link #PATIENCE}
     */
    protected final String awaitOut(String text) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long allEnded = 0;
        while (!out().contains(text)) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new AssertionError("no '" + text + "' in the output within " + PATIENCE
                        + "; stdout: " + out() + "; stderr: " + err());
            }
            if (started.isEmpty() || started.stream().anyMatch(TransportKit::running)) {
                allEnded = 0;
            } else if (allEnded == 0) {
                allEnded = now;
            } else if (now - allEnded > OUTPUT_AFTER_END.toNanos()) {
                // nobody is left to print it: say so now, not after PATIENCE
                throw new AssertionError("no '" + text + "' in the output, and every process the test started"
                        + " has ended (" + started.stream().map(p -> p.name() + " " + p.exitCode()).toList()
                        + "); stdout: " + out() + "; stderr: " + err());
            }
            Thread.sleep(10);
        }
        return out();
    }

    /** How long the output of processes that all ended may still take to arrive. */
    private static final Duration OUTPUT_AFTER_END = Duration.ofSeconds(5);

    private static boolean running(Process p) {
        try {
            return p.pid() == null || p.isAlive();
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    /**
     * Prints {@code object} Java-serialized on stdout, for {@link #takeHandOff} in the test's
     * JVM: how a child passes back an object it owns (a primitive serializes as its handle), so
     * that the test can wait on it and then kill its owner.
     *
     * @param tag    names the object in the output
     * @param object what to pass
     * @throws IOException if it does not serialize
     */
    protected static void handOff(String tag, Serializable object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(object);
        }
        System.out.println("handoff " + tag + "=" + Base64.getEncoder().encodeToString(bytes.toByteArray()) + ";");
    }

    /**
     * Waits for a child's {@link #handOff} and decodes the object.
     *
     * @param tag  the object's name in the output
     * @param type its type
     * @param <T>  its type
     * @return the object, attached to its owner
     * @throws Exception if it does not appear within {@link #PATIENCE} or does not decode
     */
    protected final <T> T takeHandOff(String tag, Class<T> type) throws Exception {
        String marker = "handoff " + tag + "=";
        String text = awaitOut(marker);
        int start = text.indexOf(marker) + marker.length();
        while (text.indexOf(';', start) < 0) {
            Thread.sleep(10);
            text = awaitOut(marker);
        }
        byte[] bytes = Base64.getDecoder().decode(text.substring(start, text.indexOf(';', start)));
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return type.cast(in.readObject());
        }
    }

    /**
     * Runs {@code task} on a new thread of this JVM: a second caller in the test's process.
     *
     * @param task what it runs; an exception fails the returned future
     * @param <T>  the result type
     * @return its result, to come
     */
    protected static <T> CompletableFuture<T> inBackground(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("kit-background").start(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /**
     * Kills a process from another thread a moment from now, while the test's thread blocks.
     *
     * @param p the process
     */
    protected static void killSoon(Process p) {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.kill();
        });
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param what      what is awaited, for the failure message
     * @param condition the check, repeated every 10 ms
     * @throws InterruptedException if interrupted
     * @throws AssertionError       if it does not hold within {@link #PATIENCE}
     */
    protected final void awaitTrue(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + PATIENCE
                        + "; stdout: " + out() + "; stderr: " + err());
            }
            Thread.sleep(10);
        }
    }
}
