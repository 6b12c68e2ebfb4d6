package org.multiprocessing4j;

import org.multiprocessing4j.internal.Primitives;
import org.multiprocessing4j.spi.PipeBackend;

/**
 * A pair of connected {@link Connection}s: Python's {@code multiprocessing.Pipe}.
 * <pre>{@code
 * var pipe = Pipe.open();
 * Connection childEnd = pipe.second();
 * new Process(() -> child(childEnd)).start();
 * childEnd.close();                // as in Python: the parent keeps only its own end
 * System.out.println(pipe.first().recv());
 * }</pre>
 *
 * <p>The pipe lives in the process that opens it (its owner), which keeps the messages in
 * flight; the ends travel to other processes inside targets (or messages) and re-attach there.
 * See {@link Connection} for when an end counts as closed. {@link Ends} is not serializable:
 * a target captures the end it uses (as above), so that the child holds only that end. If the owner ends, the pipe ends
 * with it: every further call on its connections throws {@link ProcessGoneException}.
 *
 * @since 0.1
 */
public final class Pipe {
    private Pipe() {
    }

    /**
     * The two ends of a pipe, Python's {@code conn1, conn2 = Pipe()}.
     *
     * @param first  the first end; receive-only if the pipe is one-way
     * @param second the second end; send-only if the pipe is one-way
     * @since 0.1
     */
    public record Ends(Connection first, Connection second) {
    }

    /**
     * Opens a duplex pipe: each end sends to and receives from the other.
     *
     * @return the two ends
     */
    public static Ends open() {
        return open(true);
    }

    /**
     * Opens a pipe, Python's {@code Pipe(duplex)}.
     *
     * @param duplex true for a two-way pipe; false for one where {@link Ends#first()} can only
     *               receive and {@link Ends#second()} can only send
     * @return the two ends
     */
    public static Ends open(boolean duplex) {
        PipeBackend pipe = Primitives.pipe();
        return new Ends(new Connection(pipe.first(), true, duplex), new Connection(pipe.second(), duplex, true));
    }
}
