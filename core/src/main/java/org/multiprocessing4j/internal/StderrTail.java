package org.multiprocessing4j.internal;

import java.nio.charset.StandardCharsets;

/**
 * The last bytes a child wrote to its stderr: for start-failure messages, and what a standby
 * printed before it became a process. Thread-safe.
 */
final class StderrTail {
    private final byte[] ring;
    private long written;

    StderrTail(int size) {
        ring = new byte[size];
    }

    synchronized void append(byte[] data, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) (written++ % ring.length)] = data[i];
        }
    }

    synchronized byte[] bytes() {
        int size = (int) Math.min(written, ring.length);
        byte[] out = new byte[size];
        long start = written - size;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        return out;
    }

    String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }
}
