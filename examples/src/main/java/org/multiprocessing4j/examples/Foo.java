package org.multiprocessing4j.examples;

import org.multiprocessing4j.Process;

/** Seed program 2: a child that prints {@code Foo}. */
public final class Foo {
    private Foo() {
    }

    static void foo() {
        System.out.println("Foo");
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        Process p = new Process(Foo::foo);
        p.start();
        p.join();
    }
}
