package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

/** Three processes wait for one {@link Event}; setting it releases them all. */
public final class EventExample {
    private EventExample() {
    }

    static void runner(int id, Event go, Queue<String> finish) throws InterruptedException {
        go.await();                                    // Python: go.wait()
        finish.put("runner " + id + " ran");
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Event go = new Event();
        Queue<String> finish = new Queue<>();
        List<Process> runners = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int id = i;
            Process p = new Process(() -> runner(id, go, finish));
            p.start();
            runners.add(p);
        }
        System.out.println("before set, nobody ran: " + finish.empty());
        go.set();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lines.add(finish.get());
        }
        lines.sort(null);
        lines.forEach(System.out::println);
        for (Process p : runners) {
            p.join();
        }
    }
}
