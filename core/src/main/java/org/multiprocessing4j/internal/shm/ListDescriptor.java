package org.multiprocessing4j.internal.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The layout of a {@code ShareableList} in its segment (native byte order):
 * <pre>
 *  0               8       12      16
 *  +---------------+-------+-------+
 *  | MAGIC         | count | 0     |   header
 *  +-------+-------+-------+-------+
 *  | seq   | type  | length| capac.|   slot 0   (at 16)
 *  +-------+-------+-------+-------+
 *  | ...                           |   slot i   (at 16 + 16 * i)
 *  +-------------------------------+
 *  | data of slot 0: capacity 0    |   data     (at 16 + 16 * count)
 *  | data of slot 1: capacity 1    |
 *  | ...                           |
 *  +-------------------------------+
 * </pre>
 * <ul>
 *   <li>{@code seq} is a sequence lock: even when the slot is stable, odd while a writer changes
 *       it. A writer moves it from even to odd with a compare-and-set (writers exclude each
 *       other), writes, and releases it to the next even number; a reader reads it, the slot,
 *       and it again, and retries when it changed or was odd.
 *   <li>{@code type} is one of the {@code TYPE_} constants; {@code length} the bytes in use
 *       (8 for numbers, UTF-8 bytes of a string, bytes of a byte array).
 *   <li>{@code capacity} is fixed at creation: a multiple of {@value #ALIGNMENT}, at least
 *       {@value #ALIGNMENT} (a number or a boolean takes 8 bytes; a string or bytes their length
 *       rounded up). Data areas follow each other, so each starts 8-byte aligned.
 * </ul>
 */
public final class ListDescriptor {
    /** "mp4jSL01" read as a big-endian long: identifies the layout and its version. */
    public static final long MAGIC = 0x6d70346a534c3031L;
    /** Offset of the magic number. */
    public static final long MAGIC_OFFSET = 0;
    /** Offset of the slot count. */
    public static final long COUNT_OFFSET = 8;
    /** Size of the header. */
    public static final long HEADER_SIZE = 16;
    /** Size of one slot's entry. */
    public static final long SLOT_SIZE = 16;
    /** Offset of the sequence lock in a slot's entry. */
    public static final long SEQ_OFFSET = 0;
    /** Offset of the type in a slot's entry. */
    public static final long TYPE_OFFSET = 4;
    /** Offset of the used length in a slot's entry. */
    public static final long LENGTH_OFFSET = 8;
    /** Offset of the capacity in a slot's entry. */
    public static final long CAPACITY_OFFSET = 12;
    /** Capacities are multiples of this. */
    public static final int ALIGNMENT = 8;

    /** Type of a null slot. */
    public static final int TYPE_NULL = 0;
    /** Type of a long (also what ints become). */
    public static final int TYPE_LONG = 1;
    /** Type of a double (also what floats become). */
    public static final int TYPE_DOUBLE = 2;
    /** Type of a boolean. */
    public static final int TYPE_BOOLEAN = 3;
    /** Type of a string, UTF-8. */
    public static final int TYPE_STRING = 4;
    /** Type of a byte array. */
    public static final int TYPE_BYTES = 5;

    private ListDescriptor() {
    }

    /**
     * {@return the offset of its entry}
     *
     * @param index a slot
     */
    public static long slot(int index) {
        return HEADER_SIZE + SLOT_SIZE * index;
    }

    /**
     * {@return the capacity of a slot made for it}
     *
     * @param needed the bytes a value needs
     */
    public static int capacityFor(int needed) {
        return Math.max(ALIGNMENT, (needed + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
    }

    /**
     * {@return the segment size a list of those slots needs}
     *
     * @param capacities each slot's capacity
     */
    public static long size(int[] capacities) {
        long size = HEADER_SIZE + SLOT_SIZE * capacities.length;
        for (int c : capacities) {
            size += c;
        }
        return size;
    }

    /**
     * Checks that a segment holds a list and finds where each slot's data is.
     *
     * @param name   the segment's name, for messages
     * @param memory the segment
     * @return the data offset of each slot
     * @throws IllegalStateException if the segment is not a valid list; the message says what
     *                               is wrong
     */
    public static long[] dataOffsets(String name, MemorySegment memory) {
        if (memory.byteSize() < HEADER_SIZE
                || memory.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), MAGIC_OFFSET) != MAGIC) {
            throw new IllegalStateException("shared memory '" + name + "' is not a ShareableList (no list header)");
        }
        int count = memory.get(ValueLayout.JAVA_INT, COUNT_OFFSET);
        if (count < 0 || slot(count) > memory.byteSize()) {
            throw new IllegalStateException("shared memory '" + name + "' is not a valid ShareableList: count=" + count
                    + " does not fit in its " + memory.byteSize() + " bytes");
        }
        long[] offsets = new long[count];
        long next = slot(count);
        for (int i = 0; i < count; i++) {
            int capacity = memory.get(ValueLayout.JAVA_INT, slot(i) + CAPACITY_OFFSET);
            if (capacity < ALIGNMENT || capacity % ALIGNMENT != 0 || next + capacity > memory.byteSize()) {
                throw new IllegalStateException("shared memory '" + name + "' is not a valid ShareableList: slot " + i
                        + " has capacity=" + capacity + " at offset " + next + " of " + memory.byteSize() + " bytes");
            }
            offsets[i] = next;
            next += capacity;
        }
        return offsets;
    }

    /**
     * Writes the header and the slot entries of a new list (all slots null); the segment is
     * all zeros before.
     *
     * @param memory     the new segment, of {@link #size} bytes
     * @param capacities each slot's capacity
     */
    public static void format(MemorySegment memory, int[] capacities) {
        memory.set(ValueLayout.JAVA_INT, COUNT_OFFSET, capacities.length);
        for (int i = 0; i < capacities.length; i++) {
            memory.set(ValueLayout.JAVA_INT, slot(i) + CAPACITY_OFFSET, capacities[i]);
        }
        // The magic goes last (release): a list is only recognised once its entries are there.
        ValueLayout.JAVA_LONG.varHandle().setRelease(memory, MAGIC_OFFSET,
                java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN ? MAGIC : Long.reverseBytes(MAGIC));
    }
}
