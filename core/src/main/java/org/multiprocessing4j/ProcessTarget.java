package org.multiprocessing4j;

import java.io.Serializable;

/**
 * The code a child process runs: Python's {@code target}. A lambda that captures only
 * serializable values is one: {@code new Process(() -> worker(num))}.
 *
 * <p>The target travels to the child encoded by the context's {@link Codec}, so everything it
 * captures must be encodable; {@link Process#start()} fails, naming the class, when it is not.
 * It may throw checked exceptions: an exception that escapes it is printed on the child's
 * standard error under {@code Process <name>:} and gives the exit code 1.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ProcessTarget extends Serializable {

    /**
     * Runs in the child process.
     *
     * @throws Exception anything; it ends the process with exit code 1
     */
    void run() throws Exception;
}
