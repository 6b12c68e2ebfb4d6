package org.multiprocessing4j.examples;

import java.io.EOFException;
import java.util.List;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.Pipe;
import org.multiprocessing4j.Process;

/**
 * A child sends values down a {@link Pipe} and closes its end; the parent receives until end
 * of file, Python's {@code Pipe()} with {@code recv()} raising {@code EOFError}.
 */
public final class PipeExample {
    private PipeExample() {
    }

    static void sender(Connection conn) {
        conn.send("hello");
        conn.send(42);
        conn.send(List.of(1, 2, 3));
        conn.close();
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Pipe.Ends ends = Pipe.open();
        Connection parentEnd = ends.first();
        Connection childEnd = ends.second();
        Process p = new Process(() -> sender(childEnd));
        p.start();
        childEnd.close();                 // the parent's copy: only the child holds it now
        try {
            while (true) {
                System.out.println("received " + parentEnd.recv());
            }
        } catch (EOFException e) {
            System.out.println("end of file: the child closed its end");
        }
        p.join();
    }
}
