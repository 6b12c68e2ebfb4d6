package org.multiprocessing4j;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.multiprocessing4j.internal.shm.ListDescriptor;

/**
 * A list of fixed length in one shared memory segment, any of whose processes may read and
 * write its items: Python's {@code multiprocessing.shared_memory.ShareableList}.
 * <pre>{@code
 * try (ShareableList list = ShareableList.create(List.of("howdy", 42L, 3.5, true))) {
 *     Process p = new Process(() -> list.set(1, 43L));   // the child attaches by name
 *     p.start();
 *     p.join();
 *     System.out.println(list.get(1));                   // 43
 *     list.unlink();
 * }
 * }</pre>
 *
 * <p><b>Items</b> are null, {@link Long} (ints, shorts and bytes become longs, as Python has one
 * int), {@link Double} (floats become doubles), {@link Boolean}, {@link String} and
 * {@code byte[]}. Each slot gets its room at creation: 8 bytes for null, a number or a boolean;
 * the UTF-8 length of a string, or the length of a byte array, rounded up to a multiple of 8.
 * A later {@link #set} may put any item in a slot, of any type, if it fits; one that does not
 * fails, naming the slot and both sizes. The layout is in {@code ListDescriptor}.
 *
 * <p><b>Concurrency.</b> Each slot has a sequence lock in the shared memory: {@code set} is
 * atomic (no reader ever sees half an item, nor two writers mix), {@code get} never blocks a
 * writer. A process killed in the middle of a {@code set} leaves that slot unusable: the next
 * access to it fails after waiting a second, rather than hanging.
 *
 * <p><b>Life cycle and passing on</b> are those of its {@link SharedMemory} ({@link #shm()}):
 * {@link #close()} unmaps it here, {@link #unlink()} removes it; captured by a target or put in
 * a queue it travels as its name and the receiver attaches.
 *
 * @since 0.1
 */
public final class ShareableList implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long STUCK_WRITE_NANOS = 1_000_000_000L;
    private static final int SPINS_BEFORE_YIELD = 100;

    private final transient SharedMemory shm;
    private final transient long[] dataOffsets;

    private ShareableList(SharedMemory shm) {
        this.shm = shm;
        try {
            this.dataOffsets = ListDescriptor.dataOffsets(shm.name(), shm.segment());
        } catch (IllegalStateException e) {
            shm.close();
            throw e;
        }
    }

    /**
     * Creates a list with a generated name.
     *
     * @param items the items; see the class comment for the types allowed
     * @return the new list
     * @throws IllegalArgumentException if an item is of another type (the message names its
     *                                  index and class)
     * @throws IOException              if the segment cannot be created
     */
    public static ShareableList create(List<?> items) throws IOException {
        return create(null, items);
    }

    /**
     * Creates a list with the given name.
     *
     * @param name  the segment's name, as {@link SharedMemory#create(String, long)} takes it;
     *              null for a generated one
     * @param items the items; see the class comment for the types allowed
     * @return the new list
     * @throws IllegalArgumentException           if the name is not allowed, or an item is of
     *                                            another type
     * @throws java.nio.file.FileAlreadyExistsException if a segment of that name exists
     * @throws IOException                        if the segment cannot be created
     */
    public static ShareableList create(@Nullable String name, List<?> items) throws IOException {
        List<Object> normal = new ArrayList<>(items.size());
        int[] capacities = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Object item = normalize(i, items.get(i));
            normal.add(item);
            capacities[i] = ListDescriptor.capacityFor(encodedLength(i, item));
        }
        long size = ListDescriptor.size(capacities);
        SharedMemory shm = name == null ? SharedMemory.create(size) : SharedMemory.create(name, size);
        ListDescriptor.format(shm.segment(), capacities);
        ShareableList list = new ShareableList(shm);
        for (int i = 0; i < normal.size(); i++) {
            list.set(i, normal.get(i));
        }
        return list;
    }

    /**
     * Attaches to a list created by any process of this user.
     *
     * @param name the segment's name
     * @return the list
     * @throws java.nio.file.NoSuchFileException if there is no segment of that name
     * @throws IllegalStateException             if the segment holds no list
     * @throws IOException                       if it cannot be mapped
     */
    public static ShareableList attach(String name) throws IOException {
        return new ShareableList(SharedMemory.attach(name));
    }

    /** {@return the number of items (Python's {@code len})} */
    public int size() {
        return dataOffsets.length;
    }

    /**
     * {@return its item: null, a Long, Double, Boolean, String or a new byte[]}
     *
     * @param index the slot
     * @throws IndexOutOfBoundsException if there is no such slot
     * @throws IllegalStateException     if the list is closed, or the slot was left in the
     *                                   middle of a write
     */
    public @Nullable Object get(int index) {
        Objects.checkIndex(index, size());
        MemorySegment memory = shm.segment();
        long slot = ListDescriptor.slot(index);
        long deadline = System.nanoTime() + STUCK_WRITE_NANOS;
        for (int attempt = 0; ; attempt++) {
            int before = (int) INT.getAcquire(memory, slot + ListDescriptor.SEQ_OFFSET);
            if ((before & 1) == 0) {
                int type = memory.get(ValueLayout.JAVA_INT, slot + ListDescriptor.TYPE_OFFSET);
                int length = memory.get(ValueLayout.JAVA_INT, slot + ListDescriptor.LENGTH_OFFSET);
                int capacity = memory.get(ValueLayout.JAVA_INT, slot + ListDescriptor.CAPACITY_OFFSET);
                byte[] data = length >= 0 && length <= capacity
                        ? memory.asSlice(dataOffsets[index], length).toArray(ValueLayout.JAVA_BYTE) : null;
                VarHandle.loadLoadFence(); // the reads above happen before the second read of seq
                int after = (int) INT.getVolatile(memory, slot + ListDescriptor.SEQ_OFFSET);
                if (after == before && data != null) {
                    return decode(index, type, data);
                }
            }
            waitForWriter(index, attempt, deadline);
        }
    }

    /**
     * Replaces the item in one slot, Python's {@code sl[index] = item}.
     *
     * @param index the slot
     * @param item  its new item: null, a number, a Boolean, a String or a byte[] (copied) that
     *              fits the slot's room
     * @throws IndexOutOfBoundsException if there is no such slot
     * @throws IllegalArgumentException  if the item is of another type, or does not fit (the
     *                                   message names the slot and both sizes)
     * @throws IllegalStateException     if the list is closed, or the slot was left in the
     *                                   middle of a write
     */
    public void set(int index, @Nullable Object item) {
        Objects.checkIndex(index, size());
        Object normal = normalize(index, item);
        byte[] data = encode(index, normal);
        MemorySegment memory = shm.segment();
        long slot = ListDescriptor.slot(index);
        int capacity = memory.get(ValueLayout.JAVA_INT, slot + ListDescriptor.CAPACITY_OFFSET);
        if (data.length > capacity) {
            throw new IllegalArgumentException("slot " + index + " of ShareableList '" + name() + "' holds at most "
                    + capacity + " bytes; the " + typeName(normal) + " needs " + data.length);
        }
        long deadline = System.nanoTime() + STUCK_WRITE_NANOS;
        int seq;
        for (int attempt = 0; ; attempt++) {
            seq = (int) INT.getVolatile(memory, slot + ListDescriptor.SEQ_OFFSET);
            if ((seq & 1) == 0 && INT.compareAndSet(memory, slot + ListDescriptor.SEQ_OFFSET, seq, seq + 1)) {
                break;
            }
            waitForWriter(index, attempt, deadline);
        }
        memory.set(ValueLayout.JAVA_INT, slot + ListDescriptor.TYPE_OFFSET, typeOf(normal));
        memory.set(ValueLayout.JAVA_INT, slot + ListDescriptor.LENGTH_OFFSET, data.length);
        MemorySegment.copy(data, 0, memory, ValueLayout.JAVA_BYTE, dataOffsets[index], data.length);
        INT.setRelease(memory, slot + ListDescriptor.SEQ_OFFSET, seq + 2); // pairs with get's getAcquire
    }

    private void waitForWriter(int index, int attempt, long deadline) {
        if (attempt < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
            return;
        }
        if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("slot " + index + " of ShareableList '" + name()
                    + "' has been in the middle of a write for over a second: a process probably died while writing it");
        }
        Thread.yield();
    }

    /**
     * Python's {@code count}.
     *
     * @param item an item (ints count as longs, floats as doubles, byte arrays by content)
     * @return how many slots hold an equal item
     */
    public int count(@Nullable Object item) {
        Object wanted = comparable(item);
        int n = 0;
        for (int i = 0; i < size(); i++) {
            if (Objects.equals(comparable(get(i)), wanted)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Python's {@code index}.
     *
     * @param item an item, compared as {@link #count} does
     * @return the first slot that holds an equal item
     * @throws NoSuchElementException if none does (Python's {@code ValueError})
     */
    public int index(@Nullable Object item) {
        Object wanted = comparable(item);
        for (int i = 0; i < size(); i++) {
            if (Objects.equals(comparable(get(i)), wanted)) {
                return i;
            }
        }
        throw new NoSuchElementException(describe(item) + " is not in ShareableList '" + name() + "'");
    }

    /** {@return a copy of the items, in a list that tolerates nulls} */
    public List<@Nullable Object> toList() {
        List<@Nullable Object> items = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            items.add(get(i));
        }
        return Collections.unmodifiableList(items);
    }

    /** {@return the segment the list lives in (Python's {@code shm})} */
    public SharedMemory shm() {
        return shm;
    }

    /** {@return the segment's name, which {@link #attach} takes} */
    public String name() {
        return shm.name();
    }

    /** Unmaps the list from this process, as {@link SharedMemory#close()}. */
    @Override
    public void close() {
        shm.close();
    }

    /**
     * Removes the list's segment, as {@link SharedMemory#unlink()}.
     *
     * @throws IOException if it was unlinked already, or cannot be removed
     */
    public void unlink() throws IOException {
        shm.unlink();
    }

    @Override
    public String toString() {
        if (shm.isClosed()) {
            return "ShareableList('" + name() + "', closed)";
        }
        List<String> items = new ArrayList<>();
        for (Object item : toList()) {
            items.add(describe(item));
        }
        return "ShareableList(" + items + ", name='" + name() + "')";
    }

    private static String describe(@Nullable Object item) {
        if (item instanceof byte[] bytes) {
            return "bytes" + Arrays.toString(bytes);
        }
        return item instanceof String s ? "'" + s + "'" : String.valueOf(item);
    }

    private static @Nullable Object normalize(int index, @Nullable Object item) {
        return switch (item) {
            case null -> null;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Double d -> d;
            case Float f -> (double) f;
            case Boolean b -> b;
            case String s -> s;
            case byte[] b -> b;
            default -> throw new IllegalArgumentException("item " + index + " is a " + item.getClass().getName()
                    + "; a ShareableList holds null, Long, Integer, Short, Byte, Double, Float, Boolean, String and byte[]");
        };
    }

    /**
     * {@return what Python's {@code ==} compares}: numbers by value whatever their type ({@code 1
     * == 1.0 == True}, {@code 0.0 == -0.0}), NaN equal to nothing, not even itself, byte arrays
     * by content
     */
    private static @Nullable Object comparable(@Nullable Object item) {
        return switch (item) {
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Boolean b -> b ? 1L : 0L;
            case Float f -> comparable((double) f);
            case Double d when d.isNaN() -> new Object();
            case Double d when d == Math.rint(d) && Math.abs(d) < 0x1p63 -> (long) (double) d;
            case byte[] b -> ByteBuffer.wrap(b);
            case null, default -> item;
        };
    }

    private static int typeOf(@Nullable Object item) {
        return switch (item) {
            case null -> ListDescriptor.TYPE_NULL;
            case Long l -> ListDescriptor.TYPE_LONG;
            case Double d -> ListDescriptor.TYPE_DOUBLE;
            case Boolean b -> ListDescriptor.TYPE_BOOLEAN;
            case String s -> ListDescriptor.TYPE_STRING;
            default -> ListDescriptor.TYPE_BYTES;
        };
    }

    private static String typeName(@Nullable Object item) {
        return switch (item) {
            case String s -> "string (UTF-8)";
            case byte[] b -> "byte array";
            case null, default -> "item";
        };
    }

    private static int encodedLength(int index, @Nullable Object item) {
        return encode(index, item).length;
    }

    private static byte[] encode(int index, @Nullable Object item) {
        return switch (item) {
            case null -> new byte[0];
            case Long l -> ByteBuffer.allocate(Long.BYTES).putLong(0, l).array();
            case Double d -> ByteBuffer.allocate(Double.BYTES).putDouble(0, d).array();
            case Boolean b -> new byte[] {(byte) (b ? 1 : 0)};
            case String s -> utf8(index, s);
            case byte[] b -> b.clone();
            default -> throw new IllegalArgumentException("item " + index + " is a " + item.getClass().getName());
        };
    }

    private static byte[] utf8(int index, String s) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("item " + index + " is a string with an unpaired surrogate, which UTF-8 cannot hold", e);
        }
    }

    private @Nullable Object decode(int index, int type, byte[] data) {
        return switch (type) {
            case ListDescriptor.TYPE_NULL -> null;
            case ListDescriptor.TYPE_LONG -> ByteBuffer.wrap(data).getLong();
            case ListDescriptor.TYPE_DOUBLE -> ByteBuffer.wrap(data).getDouble();
            case ListDescriptor.TYPE_BOOLEAN -> data[0] != 0;
            case ListDescriptor.TYPE_STRING -> new String(data, StandardCharsets.UTF_8);
            case ListDescriptor.TYPE_BYTES -> data;
            default -> throw new IllegalStateException("slot " + index + " of ShareableList '" + name()
                    + "' has an unknown type " + type + ": the segment is not a list of this version, or was overwritten");
        };
    }

    /**
     * {@return the list's name, which is what travels}
     */
    @Serial
    private Object writeReplace() {
        return new SegmentByName(name(), true);
    }

    /**
     * Refuses a stream that claims to be the object itself.
     *
     * @param in the stream
     * @throws InvalidObjectException always: only the name travels
     */
    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a ShareableList travels as its name (SegmentByName)");
    }
}
