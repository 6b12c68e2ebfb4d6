package org.multiprocessing4j.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.SharedMemory;

/**
 * A child attaches a {@link SharedMemory} segment by its name and writes into it; the parent
 * reads the bytes in place, then unlinks the segment: Python's
 * {@code shared_memory.SharedMemory(name=...)}.
 */
public final class SharedMemoryExample {
    private SharedMemoryExample() {
    }

    static void writer(String name) throws java.io.IOException {
        try (SharedMemory shm = SharedMemory.attach(name)) {
            ByteBuffer buf = shm.buffer();
            buf.put("written by the child".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws Exception if the segment cannot be made, or interrupted
     */
    public static void main(String[] args) throws Exception {
        try (SharedMemory shm = SharedMemory.create(64)) {
            String name = shm.name();
            Process p = new Process(() -> writer(name));
            p.start();
            p.join();
            byte[] text = new byte[20];
            shm.buffer().get(text);
            System.out.println("size " + shm.size() + ": " + new String(text, StandardCharsets.US_ASCII));
            shm.unlink();                              // Python: shm.unlink()
        }
    }
}
