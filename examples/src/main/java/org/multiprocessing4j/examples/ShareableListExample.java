package org.multiprocessing4j.examples;

import java.util.List;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.ShareableList;

/**
 * A {@link ShareableList} of mixed values in shared memory, changed in place by a child that
 * attached it by name: Python's {@code shared_memory.ShareableList}.
 */
public final class ShareableListExample {
    private ShareableListExample() {
    }

    static void change(String name) throws java.io.IOException {
        try (ShareableList list = ShareableList.attach(name)) {
            list.set(0, (Long) list.get(0) * 2);
            list.set(1, "HOWDY");                      // no longer than the slot's first value
            list.set(3, true);
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws Exception if the list cannot be made, or interrupted
     */
    public static void main(String[] args) throws Exception {
        try (ShareableList list = ShareableList.create(List.of(21L, "howdy", 3.5, false))) {
            String name = list.name();
            Process p = new Process(() -> change(name));
            p.start();
            p.join();
            System.out.println(list.toList());
            System.out.println("count of true: " + list.count(true));
            list.unlink();
        }
    }
}
