package org.multiprocessing4j;

import org.multiprocessing4j.internal.ProcessRuntime;

/**
 * A root JVM for {@link ShmRootTest}: makes segments of every kind (generated, named, a heap
 * segment for a value, one made by a child) and then ends as the mode says.
 * {@code ShmRootMain MODE NAME}; MODE is normal, throw, hang, keep or sweep.
 */
public final class ShmRootMain {
    private ShmRootMain() {
    }

    /**
     * @param args the mode and the name of the named segment
     * @throws Exception in mode throw, on purpose
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        var root = ProcessRuntime.current().root();
        System.out.println("prefix mp4j-" + root.pid() + "-" + Long.toString(root.startTime(), 36));
        if (mode.equals("sweep")) {
            SharedMemory touch = SharedMemory.create(8);
            touch.unlink();
            System.out.println("swept");
            return;
        }
        SharedMemory generated = SharedMemory.create(4096);
        SharedMemory named = SharedMemory.create(args[1], 100);
        SharedMemory unlinked = SharedMemory.create(10);
        unlinked.unlink();
        Value.OfInt value = Value.ofInt(7);
        Process child = new Process(() -> {
            SharedMemory mine = SharedMemory.create(64);
            value.getAndAdd(1);
            System.out.println("child " + mine.name());
        });
        child.start();
        child.join();
        System.out.println("made " + generated.name() + " " + named.name() + " value=" + value.get());
        switch (mode) {
            case "normal" -> { }
            case "throw" -> throw new IllegalStateException("thrown on purpose by ShmRootMain");
            case "keep" -> {
                generated.keep();
                named.keep();
                System.out.println("kept " + generated.name() + " " + named.name());
            }
            case "hang" -> {
                System.out.println("ready");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }
}
