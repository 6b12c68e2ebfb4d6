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
 * {@value SlotDescriptor#INLINE_MAX} bytes in the slot itself; a larger one in a buffer of the
 * queue's side area ({@link SideArea}) when one that fits is free; else in a segment of its
 * own (a side segment). Buffers and side segments are filled by the producer before it claims
 * a slot (so a claim is never held over a copy or a file operation); the consumer copies the
 * item out and frees the buffer, or unlinks the segment. Side segments are core's
 * ({@link SharedMemoryRuntime#create}), so one whose consumer never came (or died) is unlinked
 * when the tree's root exits.
 */
final class Payload {
    private static final int NO_BUFFER = -1;

    private final byte[] item;
    /** Where the item starts in {@link #item}, and its length (a producer's range of its array). */
    private final int offset;
    private final int length;
    private final @Nullable String side;
    private final SideArea area;
    private final int buffer;

    private Payload(byte[] item, int offset, int length, @Nullable String side, SideArea area, int buffer) {
        this.item = item;
        this.offset = offset;
        this.length = length;
        this.side = side;
        this.area = area;
        this.buffer = buffer;
    }

    /**
     * {@return its payload, in a buffer of the area or a new side segment if it is larger than a
     * slot holds}
     *
     * @param item   the array that holds the encoded item; read until the put is over
     * @param offset where the item starts in it
     * @param length the item's length
     * @param area   the queue's side area
     * @throws IllegalStateException if a side segment cannot be made
     */
    static Payload of(byte[] item, int offset, int length, SideArea area) {
        if (length <= INLINE_MAX) {
            return new Payload(item, offset, length, null, area, NO_BUFFER);
        }
        int b = area.takeOrWait(length);
        if (b >= 0) {
            MemorySegment.copy(item, offset, area.memory(), JAVA_BYTE, area.offset(b), length);
            return new Payload(item, offset, length, null, area, b);
        }
        try {
            MappedSegment segment = runtime().create(null, length);
            try {
                MemorySegment.copy(item, offset, segment.memory(), JAVA_BYTE, 0, length);
            } finally {
                segment.close();
            }
            return new Payload(item, offset, length, segment.name(), area, NO_BUFFER);
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
        m.set(JAVA_INT, slot + LENGTH, length);
        if (buffer != NO_BUFFER) {
            m.set(JAVA_INT, slot + SIDE, -(buffer + 1));
            area.queued(buffer);
        } else if (side == null) {
            m.set(JAVA_INT, slot + SIDE, 0);
            MemorySegment.copy(item, offset, m, JAVA_BYTE, slot + PAYLOAD, length);
        } else {
            byte[] name = side.getBytes(StandardCharsets.US_ASCII);
            m.set(JAVA_INT, slot + SIDE, name.length);
            MemorySegment.copy(name, 0, m, JAVA_BYTE, slot + PAYLOAD, name.length);
        }
    }

    /** Unlinks the side segment of a payload that was never put. Never throws. */
    void discard() {
        if (buffer != NO_BUFFER) {
            area.release(buffer);
        } else if (side != null) {
            unlinkQuietly(side);
        }
    }

    /**
     * Reads what a claimed slot holds: the item itself, or the name of its side segment, which
     * {@link #fetch} reads once the slot is free again.
     *
     * @param m    the queue's memory
     * @param slot the slot's offset
     * @param area the queue's side area
     * @param into where the caller wants the item, from {@code at} (a receive into the caller's
     *             array, which spares an array per item); null, or too short for the item: a
     *             new array
     * @param at   where in {@code into}
     * @return the payload
     */
    static Payload readFrom(MemorySegment m, long slot, SideArea area, byte @Nullable [] into, int at) {
        int length = m.get(JAVA_INT, slot + LENGTH);
        int nameLength = m.get(JAVA_INT, slot + SIDE);
        byte[] item;
        int offset;
        if (into != null && length <= into.length - at) {
            item = into;
            offset = at;
        } else {
            item = new byte[length];
            offset = 0;
        }
        if (nameLength <= 0) {
            if (nameLength == 0) {
                MemorySegment.copy(m, JAVA_BYTE, slot + PAYLOAD, item, offset, length);
            } else {
                int b = -nameLength - 1;
                area.takeQueued(b);
                MemorySegment.copy(m, JAVA_BYTE, area.offset(b), item, offset, length);
                area.release(b);
            }
            return new Payload(item, offset, length, null, area, NO_BUFFER);
        }
        byte[] name = new byte[nameLength];
        MemorySegment.copy(m, JAVA_BYTE, slot + PAYLOAD, name, 0, nameLength);
        return new Payload(item, offset, length, new String(name, StandardCharsets.US_ASCII), area, NO_BUFFER);
    }

    /**
     * {@return the array that holds the item, copied out of its side segment (which is then
     * unlinked) if it has one}: the array {@link #readFrom} was given if the item fit there, at
     * the offset it was given; else a new array of exactly the item
     *
     * @throws UncheckedIOException naming the segment if it cannot be read
     */
    byte[] fetch() {
        if (side == null) {
            return item;
        }
        try {
            MappedSegment segment = runtime().attach(side);
            try {
                MemorySegment.copy(segment.memory(), JAVA_BYTE, 0, item, offset, length);
            } finally {
                segment.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a queue item of " + length + " bytes from its segment '"
                    + side + "': " + e.getMessage(), e);
        } finally {
            unlinkQuietly(side);
        }
        return item;
    }

    /** {@return the item's length} */
    int length() {
        return length;
    }

    /** Unlinks a segment of this tree, leaving it to the root's cleanup at exit if that fails. */
    static void unlinkQuietly(String name) {
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
