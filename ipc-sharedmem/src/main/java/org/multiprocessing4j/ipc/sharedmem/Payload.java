package org.multiprocessing4j.ipc.sharedmem;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.multiprocessing4j.ipc.sharedmem.SlotDescriptor.INLINE_MAX;
import static org.multiprocessing4j.ipc.sharedmem.SlotDescriptor.LENGTH;
import static org.multiprocessing4j.ipc.sharedmem.SlotDescriptor.PAYLOAD;
import static org.multiprocessing4j.ipc.sharedmem.SlotDescriptor.SIDE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.ProcessRuntime;
import org.multiprocessing4j.internal.shm.MappedSegment;
import org.multiprocessing4j.internal.shm.SharedMemoryRuntime;

/**
 * An item on its way through a queue's slot ({@link SlotDescriptor}): up to
 * {@value SlotDescriptor#INLINE_MAX} bytes in the slot itself; a larger item in a segment of
 * its own (a side segment), made by the producer before it claims a slot (so a claim is never
 * held over a file operation) and unlinked by the consumer that takes it. Side segments are
 * core's ({@link SharedMemoryRuntime#create}), so one whose consumer never came (or died) is
 * unlinked when the tree's root exits.
 */
final class Payload {
    private final byte[] item;
    private final @Nullable String side;

    private Payload(byte[] item, @Nullable String side) {
        this.item = item;
        this.side = side;
    }

    /**
     * @param item the encoded item
     * @return its payload, in a new side segment if it is larger than a slot holds
     * @throws IllegalStateException if a side segment cannot be made
     */
    static Payload of(byte[] item) {
        if (item.length <= INLINE_MAX) {
            return new Payload(item, null);
        }
        try {
            MappedSegment segment = runtime().create(null, item.length);
            try {
                MemorySegment.copy(item, 0, segment.memory(), JAVA_BYTE, 0, item.length);
            } finally {
                segment.close();
            }
            return new Payload(item, segment.name());
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a shared-memory segment for a queue item of " + item.length
                    + " bytes: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the payload into a claimed slot; plain writes, published by the slot's sequence.
     *
     * @param m    the queue's memory
     * @param slot the slot's offset
     */
    void writeTo(MemorySegment m, long slot) {
        m.set(JAVA_INT, slot + LENGTH, item.length);
        if (side == null) {
            m.set(JAVA_INT, slot + SIDE, 0);
            MemorySegment.copy(item, 0, m, JAVA_BYTE, slot + PAYLOAD, item.length);
        } else {
            byte[] name = side.getBytes(StandardCharsets.US_ASCII);
            m.set(JAVA_INT, slot + SIDE, name.length);
            MemorySegment.copy(name, 0, m, JAVA_BYTE, slot + PAYLOAD, name.length);
        }
    }

    /** Unlinks the side segment of a payload that was never put. Never throws. */
    void discard() {
        if (side != null) {
            unlinkQuietly(side);
        }
    }

    /**
     * Reads what a claimed slot holds: the item itself, or the name of its side segment, which
     * {@link #fetch} reads once the slot is free again.
     *
     * @param m    the queue's memory
     * @param slot the slot's offset
     * @return the payload
     */
    static Payload readFrom(MemorySegment m, long slot) {
        int length = m.get(JAVA_INT, slot + LENGTH);
        int nameLength = m.get(JAVA_INT, slot + SIDE);
        if (nameLength == 0) {
            byte[] item = new byte[length];
            MemorySegment.copy(m, JAVA_BYTE, slot + PAYLOAD, item, 0, length);
            return new Payload(item, null);
        }
        byte[] name = new byte[nameLength];
        MemorySegment.copy(m, JAVA_BYTE, slot + PAYLOAD, name, 0, nameLength);
        return new Payload(new byte[length], new String(name, StandardCharsets.US_ASCII));
    }

    /**
     * @return the item, copied out of its side segment (which is then unlinked) if it has one
     * @throws UncheckedIOException naming the segment if it cannot be read
     */
    byte[] fetch() {
        if (side == null) {
            return item;
        }
        try {
            MappedSegment segment = runtime().attach(side);
            try {
                MemorySegment.copy(segment.memory(), JAVA_BYTE, 0, item, 0, item.length);
            } finally {
                segment.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a queue item of " + item.length + " bytes from its segment '"
                    + side + "': " + e.getMessage(), e);
        } finally {
            unlinkQuietly(side);
        }
        return item;
    }

    private static void unlinkQuietly(String name) {
        try {
            runtime().unlink(name);
        } catch (IOException | RuntimeException e) {
            // Left for the root's cleanup at exit.
        }
    }

    private static SharedMemoryRuntime runtime() {
        return ProcessRuntime.current().sharedMemory();
    }
}
