package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.Widget;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DefaultCodec Java serialization fallback")
class DefaultCodecFallbackTest {
    private final DefaultCodec codec = new DefaultCodec();

    record Point(int x, int y) implements Serializable {}

    interface SerializableSupplier<T> extends Supplier<T>, Serializable {}

    /** Not Serializable. */
    static final class Socketish {}

    record Holder(String name, Object thing) implements Serializable {}

    private Object roundTrip(Object value) {
        return codec.decode(codec.encode(value));
    }

    @Test
    @DisplayName("a record round-trips")
    void record() {
        assertEquals(new Point(3, -4), roundTrip(new Point(3, -4)));
        assertEquals(new Widget("gear", 7), roundTrip(new Widget("gear", 7)));
    }

    @Test
    @DisplayName("a serializable lambda round-trips with its captured values")
    void lambda() {
        int base = 40;
        Point captured = new Point(1, 1);
        SerializableSupplier<Integer> supplier = () -> base + captured.x() + captured.y();

        Object decoded = roundTrip(supplier);

        assertEquals(42, ((SerializableSupplier<?>) decoded).get());
    }

    @Test
    @DisplayName("a collection of mixed JDK value types and application types round-trips")
    void mixedCollection() {
        List<Object> values = new ArrayList<>();
        values.add(null);
        values.add("text");
        values.add(42);
        values.add(new Point(1, 2));
        values.add(new HashMap<>(Map.of("a", 1, "b", List.of(1, 2, 3))));
        values.add(new TreeMap<>(Map.of(2, "two", 1, "one")));
        values.add(new LinkedList<>(List.of('x', 'y')));
        values.add(new TreeSet<>(Set.of("c", "a", "b")));
        values.add(new LinkedHashSet<>(List.of(3, 1, 2)));
        values.add(new ArrayDeque<>(List.of(1L, 2L)));
        values.add(Set.of(1, 2));
        values.add(Map.of("k", "v"));
        values.add(Collections.unmodifiableList(new ArrayList<>(List.of(1))));
        values.add(Collections.emptyMap());
        values.add(Arrays.asList("p", "q"));
        values.add(new EnumMap<>(Map.of(TimeUnit.SECONDS, "s")));
        values.add(EnumSet.of(TimeUnit.DAYS, TimeUnit.HOURS));
        values.add(new ConcurrentHashMap<>(Map.of("c", 3)));
        values.add(new CopyOnWriteArrayList<>(List.of(9)));
        values.add(UUID.randomUUID());
        values.add(new BigDecimal("12345.6789"));
        values.add(BigInteger.TWO.pow(100));
        values.add(LocalDate.of(2026, 11, 25));
        values.add(Duration.ofMillis(1500));
        values.add(Instant.ofEpochSecond(1_700_000_000L, 5));
        values.add(ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 6, ZoneId.of("Europe/Paris")));
        values.add(URI.create("https://example.org/a?b=c"));
        values.add(Locale.CANADA_FRENCH);
        values.add(BitSet.valueOf(new long[] {5L}));
        values.add(new int[] {1, 2, 3});

        @SuppressWarnings("unchecked")
        List<Object> decoded = (List<Object>) roundTrip(values);

        assertEquals(values.size(), decoded.size());
        for (int i = 0; i < values.size(); i++) {
            Object expected = values.get(i);
            if (expected instanceof int[] ints) {
                assertArrayEquals(ints, (int[]) decoded.get(i));
            } else if (expected instanceof ArrayDeque<?> deque) { // no equals of its own
                assertEquals(List.copyOf(deque), List.copyOf((ArrayDeque<?>) decoded.get(i)));
            } else {
                assertEquals(expected, decoded.get(i), "element " + i);
            }
        }
    }

    @Test
    @DisplayName("an array of application objects and an AtomicLong round-trip")
    void arraysAndAtomics() {
        Point[] points = {new Point(1, 2), null};

        assertArrayEquals(points, (Point[]) roundTrip(points));
        assertEquals(7L, ((AtomicLong) roundTrip(new AtomicLong(7))).get());
    }

    @Test
    @DisplayName("an exception round-trips with its message, cause and stack trace")
    void exception() {
        var failure = new IllegalStateException("worker failed",
                new CodecException("inner"));
        failure.addSuppressed(new java.io.UncheckedIOException(new java.io.IOException("io")));

        var decoded = (IllegalStateException) roundTrip(failure);

        assertAll(
                () -> assertEquals("worker failed", decoded.getMessage()),
                () -> assertInstanceOf(CodecException.class, decoded.getCause()),
                () -> assertEquals(1, decoded.getSuppressed().length),
                () -> assertArrayEquals(failure.getStackTrace(), decoded.getStackTrace()));
    }

    @Test
    @DisplayName("a value that refers to a non-serializable class fails naming both classes")
    void notSerializableInside() {
        var error = assertThrows(CodecException.class,
                () -> codec.encode(new Holder("h", new Socketish())));

        assertEquals("cannot encode a value of class " + Holder.class.getName()
                + ": it refers to " + Socketish.class.getName() + ", which is not Serializable",
                error.getMessage());
    }

    @Test
    @DisplayName("a value whose own class is not serializable fails naming it")
    void notSerializableTop() {
        var error = assertThrows(CodecException.class, () -> codec.encode(new Socketish()));

        assertEquals("cannot encode a value of class " + Socketish.class.getName()
                + ": it is not Serializable", error.getMessage());
    }

    @Test
    @DisplayName("a lambda of a non-serializable interface fails with a hint about Serializable")
    void nonSerializableLambda() {
        Runnable task = () -> {};

        var error = assertThrows(CodecException.class, () -> codec.encode(task));

        assertTrue(error.getMessage().contains("Serializable"), error.getMessage());
        assertTrue(error.getMessage().contains("(Runnable & Serializable)"), error.getMessage());
    }

    @Test
    @DisplayName("the codec itself serializes, keeping its filter pattern")
    void codecIsSerializable() {
        DefaultCodec configured = codec.withFilter("java.io.File");

        Object decoded = roundTrip(configured);

        assertEquals(configured, decoded);
        assertEquals("java.io.File", ((DefaultCodec) decoded).filterPattern());
        assertEquals(new java.io.File("x"),
                ((DefaultCodec) decoded).decode(configured.encode(new java.io.File("x"))));
    }
}
