package org.multiprocessing4j.examples;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs the named examples one after the other in this JVM, each between marker lines, so that
 * one fresh JVM per transport runs them all ({@link ExamplesOnEveryTransportTest}). An example
 * that throws is reported between its markers and the next one still runs.
 */
final class AllExamples {
    /** Starts every marker line; no example prints it. */
    static final String MARK = "@@@ ";

    private AllExamples() {
    }

    public static void main(String[] args) {
        for (String name : args) {
            System.out.println(MARK + name);
            try {
                Examples.main(new String[] {name});
            } catch (Throwable t) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                System.out.println(MARK + "failed: " + trace);
            }
            System.out.flush();
        }
        System.out.println(MARK + "end");
    }
}
